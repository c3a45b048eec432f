import { createElement } from 'react';
import { getComponentData } from '@backstage/core-plugin-api';
import {
  EntityIngestionKeysCard,
  EntityIngestionKeysContent,
  ingestionKeysApiRef,
  IngestionKeysPage,
  ingestionKeysPlugin,
} from './index';
import { entityContentRouteRef, rootRouteRef } from './routes';

describe('ingestion-keys plugin (legacy frontend system)', () => {
  it('provides the API and its routes', () => {
    expect(ingestionKeysPlugin.getId()).toBe('ingestion-keys');
    expect(
      [...ingestionKeysPlugin.getApis()].map(factory => factory.api.id),
    ).toEqual([ingestionKeysApiRef.id]);
    expect(ingestionKeysPlugin.routes).toEqual({
      root: rootRouteRef,
      entityContent: entityContentRouteRef,
    });
  });

  // The app finds extensions, their plugin and their mount points through this component data.
  it.each([
    ['IngestionKeysPage', IngestionKeysPage, rootRouteRef],
    [
      'EntityIngestionKeysContent',
      EntityIngestionKeysContent,
      entityContentRouteRef,
    ],
    ['EntityIngestionKeysCard', EntityIngestionKeysCard, undefined],
  ] as const)('provides %s from the plugin', (name, extension, mountPoint) => {
    const element = createElement(extension);
    expect(getComponentData(element, 'core.plugin')).toBe(ingestionKeysPlugin);
    expect(getComponentData(element, 'core.extensionName')).toBe(name);
    expect(getComponentData(element, 'core.mountPoint')).toBe(mountPoint);
  });
});

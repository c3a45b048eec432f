import { TestApiProvider } from '@backstage/test-utils';
import { renderHook, waitFor } from '@testing-library/react';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import { PropsWithChildren } from 'react';
import { IngestionKeysApi, ingestionKeysApiRef } from '../api';
import { useEntityKeys } from './useEntityKeys';

describe('useEntityKeys', () => {
  it('loads every page of the entity keys', async () => {
    const keys = Array.from(
      { length: 230 },
      (_, i) => ({ id: `k${i}` } as IngestionKey),
    );
    const listKeys = jest.fn<
      ReturnType<IngestionKeysApi['listKeys']>,
      Parameters<IngestionKeysApi['listKeys']>
    >(async ({ offset = 0, limit = 100 }) => ({
      items: keys.slice(offset, offset + limit),
      totalCount: keys.length,
    }));
    const wrapper = ({ children }: PropsWithChildren) => (
      <TestApiProvider apis={[[ingestionKeysApiRef, { listKeys }]]}>
        {children}
      </TestApiProvider>
    );

    const { result } = renderHook(
      () => useEntityKeys('component:default/checkout-api', true),
      { wrapper },
    );

    await waitFor(() => expect(result.current.value).toHaveLength(230));
    expect(listKeys.mock.calls.map(([query]) => query.offset)).toEqual([
      0, 100, 200,
    ]);
    expect(listKeys).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/checkout-api',
        includeRevoked: true,
      }),
    );
  });
});

import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ingestionKeysApiRef } from './IngestionKeysApi';
import { IngestionKeysClient } from './IngestionKeysClient';

/** Installs the HTTP client; shared by the legacy plugin and the new frontend system's API extension. */
export const ingestionKeysApiFactory = createApiFactory({
  api: ingestionKeysApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new IngestionKeysClient({ discoveryApi, fetchApi }),
});

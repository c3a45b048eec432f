import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { ingestionKeysApiRef } from '../api';

/** Environments, key types, naming pattern and snippet endpoints configured on the backend. */
export function useIngestionKeysSettings() {
  const api = useApi(ingestionKeysApiRef);
  return useAsync(() => api.getSettings(), [api]);
}

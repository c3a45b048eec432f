import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ingestionKeysApiRef } from '../api';

/** The audit trail of one key. */
export function useKeyEvents(keyId: string) {
  const api = useApi(ingestionKeysApiRef);
  return useAsyncRetry(
    async () => (await api.listKeyEvents(keyId)).items,
    [api, keyId],
  );
}

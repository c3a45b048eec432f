import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ingestionKeysApiRef } from '../api';

/** The audit trail of every key of one entity, newest first as the backend returns it. */
export function useEntityEvents(entityRef: string) {
  const api = useApi(ingestionKeysApiRef);
  return useAsyncRetry(
    async () => (await api.listEntityEvents(entityRef)).items,
    [api, entityRef],
  );
}

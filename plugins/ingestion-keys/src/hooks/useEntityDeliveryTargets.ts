import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ingestionKeysApiRef } from '../api';

/** The delivery targets of an entity's key identities, each with its last delivery. */
export function useEntityDeliveryTargets(entityRef: string) {
  const api = useApi(ingestionKeysApiRef);
  return useAsyncRetry(
    async () => (await api.listDeliveryTargets(entityRef)).items,
    [api, entityRef],
  );
}

import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ingestionKeysApiRef } from '../api';

/** The keys one entity declares with its provisioning annotation, and where each stands. */
export function useEntityProvisioningStatus(entityRef: string) {
  const api = useApi(ingestionKeysApiRef);
  return useAsyncRetry(
    () => api.getEntityProvisioningStatus(entityRef),
    [api, entityRef],
  );
}

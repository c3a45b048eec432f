import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ingestionKeysApiRef } from '../api';

/**
 * The organisation's provisioning status: the last run and every undesired key. Administrators
 * only. While it reloads, the previous value stays available.
 */
export function useProvisioningStatus() {
  const api = useApi(ingestionKeysApiRef);
  return useAsyncRetry(() => api.getProvisioningStatus(), [api]);
}

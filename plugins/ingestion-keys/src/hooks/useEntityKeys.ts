import { useApi } from '@backstage/core-plugin-api';
import { IngestionKey } from '@ingestion-keys/plugin-ingestion-keys-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ingestionKeysApiRef } from '../api';

const PAGE_SIZE = 100;

/**
 * Every key of one entity. An entity has a handful of keys (one per environment, type and
 * integration), so the tab loads them all, pages included, and sorts and filters them locally.
 */
export function useEntityKeys(entityRef: string, includeRevoked: boolean) {
  const api = useApi(ingestionKeysApiRef);
  return useAsyncRetry(async () => {
    const keys: IngestionKey[] = [];
    let totalCount = 0;
    do {
      const page = await api.listKeys({
        entityRef,
        includeRevoked,
        limit: PAGE_SIZE,
        offset: keys.length,
      });
      if (page.items.length === 0) {
        break;
      }
      keys.push(...page.items);
      totalCount = page.totalCount;
    } while (keys.length < totalCount);
    return keys;
  }, [api, entityRef, includeRevoked]);
}

import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useLatest from 'react-use/esm/useLatest';
import { ingestionKeysApiRef } from '../api';

/**
 * A key's secret, held only in component state: every reveal asks the server (which audits it),
 * and the secret is dropped on hide, on unmount and when the browser tab is left, so it never
 * outlives the user's attention nor lands in any browser storage.
 */
export function useRevealedSecret(
  keyId: string,
  options: { initialSecret?: string; onRevealed?: () => void } = {},
) {
  const api = useApi(ingestionKeysApiRef);
  const [secret, setSecret] = useState(options.initialSecret);
  const hide = useCallback(() => setSecret(undefined), []);
  // Read at call time, so a new callback on every render does not make a new `reveal`.
  const onRevealed = useLatest(options.onRevealed);

  const [{ loading, error }, reveal] = useAsyncFn(async () => {
    setSecret((await api.revealKey(keyId)).secret);
    onRevealed.current?.();
  }, [api, keyId]);

  useEffect(() => {
    const onVisibilityChange = () => {
      if (document.visibilityState === 'hidden') {
        hide();
      }
    };
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () =>
      document.removeEventListener('visibilitychange', onVisibilityChange);
  }, [hide]);

  return { secret, revealing: loading, error, reveal, hide };
}

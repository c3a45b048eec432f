export interface Config {
  ingestionKeys?: {
    /**
     * The groundcover key store. The module adds the store only when this block is present;
     * `ingestionKeys.provider: groundcover` selects it.
     */
    groundcover?: {
      /** Base URL of groundcover's API. Default `https://api.groundcover.com`. */
      baseUrl?: string;

      /**
       * groundcover service-account API key (starts with `gcsa_`), allowed to manage ingestion
       * keys on the backend below.
       * @visibility secret
       */
      apiKey: string;

      /**
       * The groundcover backend the keys belong to, sent as `X-Backend-Id`. Must be an inCloud
       * (BYOC) backend: the ingestion-key API does not work on others.
       */
      backendId: string;

      /** Milliseconds each call to groundcover may take before it is abandoned. Default 10000. */
      timeoutMs?: number;

      /**
       * Milliseconds to keep looking for a key that groundcover's list does not show yet, since
       * the list lags writes by seconds (after an uncertain create, or a name reported taken).
       * Default 15000.
       */
      lookupTimeoutMs?: number;

      /** Milliseconds the list of all keys is reused before asking groundcover again. Default 5000. */
      listCacheTtlMs?: number;
    };
  };
}

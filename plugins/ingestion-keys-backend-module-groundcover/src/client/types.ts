import { IngestionKeyType } from '@ingestion-keys/plugin-ingestion-keys-common';

/**
 * An ingestion key as groundcover returns it. `key` is the secret value: never log it.
 *
 * @public
 */
export interface GroundcoverKey {
  id: string;
  name: string;
  key: string;
  type: IngestionKeyType;
  remoteConfig: boolean;
  /** groundcover answers `null` for keys created without tags; the client turns that into `[]`. */
  tags: string[];
  /** The service account behind the API key that created the key, not a portal user. */
  createdBy?: string;
}

/** @public */
export interface GroundcoverCreateKeyRequest {
  name: string;
  type: IngestionKeyType;
  remoteConfig?: boolean;
  tags?: string[];
}

/**
 * Exact-match filters of the list route; an empty filter lists every key of the backend.
 *
 * @public
 */
export interface GroundcoverListFilter {
  name?: string;
  type?: IngestionKeyType;
  remoteConfig?: boolean;
}

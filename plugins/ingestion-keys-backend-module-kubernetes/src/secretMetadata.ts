/** The label every Secret this module writes carries; with the portal annotation, it marks ours. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'ingestion-keys-backstage';

const PREFIX = 'ingestion-keys.backstage.io';

/** Annotations on a delivered Secret. None ever carries the value. */
export const ANNOTATIONS = {
  /** `ingestionKeys.managedBy` of the portal that owns the Secret. */
  portal: `${PREFIX}/portal`,
  /** The latest delivery, whichever data key it went to. */
  entityRef: `${PREFIX}/entity-ref`,
  keyName: `${PREFIX}/key-name`,
  keyId: `${PREFIX}/key-id`,
  generation: `${PREFIX}/generation`,
  dataKey: `${PREFIX}/data-key`,
  deliveredAt: `${PREFIX}/delivered-at`,
  /**
   * JSON: for each data key this portal wrote, which key it holds; one Secret can hold several
   * keys under different data keys, and the annotations above only tell the latest.
   */
  deliveries: `${PREFIX}/deliveries`,
} as const;

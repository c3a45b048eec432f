import { INGESTION_KEY_TYPES, IngestionKeyType } from './types';

/**
 * The annotation through which an entity declares the keys it needs.
 *
 * @public
 */
export const PROVISION_ANNOTATION = 'ingestion-keys/provision';

/** @public */
export interface ProvisionEntry {
  environment: string;
  type: IngestionKeyType;
  integration?: string;
}

/** @public */
export interface ProvisionEntryError {
  entry: string;
  reason: string;
}

/** @public */
export interface ParsedProvisionAnnotation {
  entries: ProvisionEntry[];
  errors: ProvisionEntryError[];
}

const INTEGRATION = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/**
 * What the keys table holds of an integration, and what the API accepts.
 *
 * @public
 */
export const MAX_INTEGRATION_LENGTH = 63;

/** @public */
export interface ProvisionAnnotationLimits {
  /** Entries read at most (repeated and invalid ones included); the rest are one error. */
  maxEntries?: number;
}

/**
 * Parses `<environment>:<type>[:<integration>]` entries separated by commas. Invalid entries are
 * reported with their reason and the valid ones still apply; repeated entries count once.
 *
 * @public
 */
export function parseProvisionAnnotation(
  value: string,
  environments: readonly string[],
  { maxEntries = Infinity }: ProvisionAnnotationLimits = {},
): ParsedProvisionAnnotation {
  const entries: ProvisionEntry[] = [];
  const errors: ProvisionEntryError[] = [];
  const seen = new Set<string>();
  let read = 0;

  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (!entry) {
      continue;
    }
    if (read++ === maxEntries) {
      errors.push({
        entry,
        reason: `an entity may declare at most ${maxEntries} entries (ingestionKeys.provisioning.maxEntriesPerEntity); this one and those after it are ignored`,
      });
      break;
    }
    const parts = entry.split(':').map(p => p.trim());
    const [environment, type, integration] = parts;
    let reason: string | undefined;
    if (parts.length < 2 || parts.length > 3) {
      reason = 'expected <environment>:<type>[:<integration>]';
    } else if (!environments.includes(environment)) {
      reason = `unknown environment "${environment}"; configured: ${environments.join(
        ', ',
      )}`;
    } else if (!(INGESTION_KEY_TYPES as readonly string[]).includes(type)) {
      reason = `unknown type "${type}"; use ${INGESTION_KEY_TYPES.join(', ')}`;
    } else if (parts.length === 3 && !INTEGRATION.test(integration)) {
      reason = `integration "${integration}" must be lowercase letters, digits and hyphens`;
    } else if (
      parts.length === 3 &&
      integration.length > MAX_INTEGRATION_LENGTH
    ) {
      reason = `integration is ${integration.length} characters long; at most ${MAX_INTEGRATION_LENGTH} are allowed`;
    }
    if (reason) {
      errors.push({ entry, reason });
      continue;
    }
    const key = `${environment}:${type}:${integration ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      entries.push({
        environment,
        type: type as IngestionKeyType,
        ...(integration ? { integration } : {}),
      });
    }
  }
  return { entries, errors };
}

/**
 * An entry as written in the annotation: `<environment>:<type>[:<integration>]`.
 *
 * @public
 */
export function formatProvisionEntry(entry: ProvisionEntry): string {
  return [entry.environment, entry.type, entry.integration]
    .filter(Boolean)
    .join(':');
}

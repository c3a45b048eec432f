import { parseTargetRef } from './deliveryTargets';
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
  /**
   * Where the key's value is delivered, each `<kind>:<address>`: the targets after `->` of every
   * entry that declares this key.
   */
  targets?: string[];
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

const isTarget = (target: string) =>
  !/\s/.test(target) && parseTargetRef(target) !== undefined;

/** @public */
export interface ProvisionAnnotationLimits {
  /** Entries read at most (repeated and invalid ones included); the rest are one error. */
  maxEntries?: number;
}

/**
 * Parses entries separated by commas, each `<environment>:<type>[:<integration>]`, optionally
 * followed by an arrow and a delivery target `<kind>:<address>`. Invalid entries are reported
 * with their reason and the valid ones still apply; repeated entries count once, and the targets
 * of an entry written more than once add up, which is how a key goes to several targets.
 * Whether a target's kind and address exist is the backend's to say.
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
  const seen = new Map<string, ProvisionEntry>();
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
    const [declared, ...targets] = entry.split('->').map(p => p.trim());
    const parts = declared.split(':').map(p => p.trim());
    const [environment, type, integration] = parts;
    let reason: string | undefined;
    if (targets.length > 1) {
      reason =
        'expected one target after "->"; write the entry again for another target';
    } else if (targets.length === 1 && !isTarget(targets[0])) {
      reason = `target "${targets[0]}" must be written <kind>:<address>, such as kubernetes:prod-eu/groundcover`;
    } else if (parts.length < 2 || parts.length > 3) {
      reason =
        'expected <environment>:<type>[:<integration>], optionally followed by -> <kind>:<address>';
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
    let declaredEntry = seen.get(key);
    if (!declaredEntry) {
      declaredEntry = {
        environment,
        type: type as IngestionKeyType,
        ...(integration ? { integration } : {}),
      };
      seen.set(key, declaredEntry);
      entries.push(declaredEntry);
    }
    if (targets.length === 1 && !declaredEntry.targets?.includes(targets[0])) {
      declaredEntry.targets = [...(declaredEntry.targets ?? []), targets[0]];
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

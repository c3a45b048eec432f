import { parseEntityRef } from '@backstage/catalog-model';
import { IngestionKeySpec, IngestionKeyType } from './types';
import { stableHash } from './stableHash';
import { keyIdentityOf } from './keyIdentity';

/** @public */
export const DEFAULT_NAMING_PATTERN =
  '{name}-{environment}-{type}-{integration}';
/** @public */
export const MAX_KEY_NAME_LENGTH = 63;

const NAMING_TOKENS = [
  'namespace',
  'kind',
  'name',
  'environment',
  'type',
  'integration',
] as const;
type NamingToken = (typeof NAMING_TOKENS)[number];

const TYPE_SLUGS: Record<IngestionKeyType, string> = {
  sensor: 'sensor',
  rum: 'rum',
  thirdParty: 'thirdparty',
};

const VALID_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Whether a string may be used as a key name in every key store we support.
 *
 * @public
 */
export function isValidKeyName(name: string): boolean {
  return name.length <= MAX_KEY_NAME_LENGTH && VALID_NAME.test(name);
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Returns a message naming what is wrong with a naming pattern, or undefined when it is usable.
 *
 * @public
 */
export function validateNamingPattern(pattern: string): string | undefined {
  const used = [...pattern.matchAll(/\{([^}]*)\}/g)].map(m => m[1]);
  const unknown = used.filter(
    t => !(NAMING_TOKENS as readonly string[]).includes(t),
  );
  if (unknown.length) {
    return `unknown token {${unknown[0]}}; use ${NAMING_TOKENS.map(
      t => `{${t}}`,
    ).join(', ')}`;
  }
  if (!used.includes('name')) {
    return 'the pattern must contain {name}';
  }
  const literal = pattern.replace(/\{[^}]*\}/g, '');
  if (!/^[a-z0-9-]*$/.test(literal)) {
    return 'text outside tokens may only use lowercase letters, digits and hyphens';
  }
  return undefined;
}

/** @public */
export interface KeyNameOptions extends IngestionKeySpec {
  pattern?: string;
  /** 1 for a key's first name; rotation successors count up from 2. */
  generation?: number;
}

/**
 * The generated name of a key: deterministic from entity, environment, type and integration,
 * lowercase letters, digits and hyphens, at most 63 characters.
 *
 * Whenever the readable name could be shared by another identity (the pattern leaves out the
 * namespace or kind of a non-default entity, a value had to be rewritten to fit, the name had to
 * be shortened, the environment contains a hyphen, or the name ends like a successor's), a short
 * hash of the full identity is appended so names stay unique.
 * Successors on rotation get a `-r<generation>` suffix.
 *
 * @public
 */
export function generateKeyName(options: KeyNameOptions): string {
  const pattern = options.pattern ?? DEFAULT_NAMING_PATTERN;
  const entity = parseEntityRef(options.entityRef);
  const values: Record<NamingToken, string> = {
    namespace: entity.namespace,
    kind: entity.kind.toLocaleLowerCase('en-US'),
    name: entity.name,
    environment: options.environment,
    type: TYPE_SLUGS[options.type],
    integration: options.integration ?? '',
  };

  let lossy = false;
  const tokensUsed = new Set<string>();
  const rendered = pattern.replace(/\{([^}]*)\}/g, (_, token: NamingToken) => {
    tokensUsed.add(token);
    const raw = values[token] ?? '';
    const cleaned = slug(raw);
    if (cleaned !== raw) {
      lossy = true;
    }
    return cleaned;
  });

  const implicitDefaults =
    (tokensUsed.has('namespace') || entity.namespace === 'default') &&
    (tokensUsed.has('kind') || values.kind === 'component');
  const everyPartShown = (
    ['environment', 'type', 'integration'] as const
  ).every(t => tokensUsed.has(t) || !values[t]);
  let base = slug(rendered);
  const suffix =
    options.generation && options.generation > 1
      ? `-r${options.generation}`
      : '';
  const room = MAX_KEY_NAME_LENGTH - suffix.length;

  // A hyphen inside the environment moves the border between entity name and environment
  // (`api` in `eu-prod` reads like `api-eu` in `prod`), and a name ending like a successor's
  // suffix (integration `r2`) reads like a rotation of another key.
  const ambiguous =
    (tokensUsed.has('environment') && values.environment.includes('-')) ||
    /-r\d+$/.test(base);

  if (
    lossy ||
    ambiguous ||
    !implicitDefaults ||
    !everyPartShown ||
    base.length > room
  ) {
    const hash = stableHash(keyIdentityOf(options));
    base = `${base
      .slice(0, room - hash.length - 1)
      .replace(/-+$/, '')}-${hash}`;
  }
  return `${base}${suffix}`;
}

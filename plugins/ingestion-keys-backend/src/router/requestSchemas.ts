import { z } from 'zod';
import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  INGESTION_KEY_STATUSES,
  INGESTION_KEY_TYPES,
  isValidKeyName,
  KEY_SORT_FIELDS,
  normalizeEntityRef,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** The deepest page a key list may start at, over HTTP and through the MCP tools. */
export const MAX_LIST_OFFSET = 1_000_000;

const validator = makeValidator();

/**
 * Entity refs as the catalog validates them (so control characters, path tricks and the like
 * never reach a query), compared case-insensitively and recorded in lower case.
 */
function normalizedEntityRef(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value);
    if (
      validator.isValidKind(ref.kind) &&
      validator.isValidNamespace(ref.namespace) &&
      validator.isValidEntityName(ref.name)
    ) {
      return normalizeEntityRef(ref);
    }
  } catch {
    // not a ref: the caller reports it
  }
  return undefined;
}

export const entityRef = z
  .string()
  .max(255)
  .transform((value, ctx) => {
    const ref = normalizedEntityRef(value);
    if (ref === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must be an entity ref such as component:default/my-service',
      });
      return z.NEVER;
    }
    return ref;
  });

/** How Backstage names a backend service caller: `plugin:<id>` or `external:<name>`. */
const SERVICE_SUBJECT = /^(plugin|external):[a-z0-9][a-z0-9_.-]*$/i;

/** Creators are users (user:default/alice) or services, recorded by their subject. */
const creator = z
  .string()
  .max(255)
  .transform((value, ctx) => {
    const ref = SERVICE_SUBJECT.test(value)
      ? value
      : normalizedEntityRef(value);
    if (ref === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          'must be a user entity ref such as user:default/alice, or a service such as plugin:catalog',
      });
      return z.NEVER;
    }
    return ref;
  });

const slug = z
  .string()
  .max(63)
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'must be lowercase letters, digits and hyphens',
  );

const id = z.string().uuid('must be a key id (a UUID)');

export const keyIdParams = z.object({ id }).strict();

export const targetIdParams = z
  .object({
    targetId: z.string().uuid('must be a delivery target id (a UUID)'),
  })
  .strict();

/** `<kind>:<address>`: a lowercase kind, and an address of printable ASCII without spaces. */
const TARGET = /^[a-z][a-z0-9-]{0,63}:[\x21-\x7e]{1,448}$/;

export const addTargetBody = z
  .object({
    target: z
      .string()
      .regex(
        TARGET,
        'must be <kind>:<address>, such as kubernetes:prod-eu/groundcover, without spaces',
      ),
  })
  .strict();

export const pullParams = z
  .object({
    store: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a store name'),
    keyName: z
      .string()
      .refine(
        isValidKeyName,
        'must be a key name as the Ingestion Keys tab shows it',
      ),
  })
  .strict();

export const createKeyBody = z
  .object({
    entityRef,
    environment: slug,
    type: z.enum(INGESTION_KEY_TYPES),
    integration: slug.optional(),
    remoteConfig: z.boolean().optional(),
  })
  .strict();

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .refine(n => n >= min && n <= max, `must be between ${min} and ${max}`);

export const listKeysQuery = z
  .object({
    entityRef: entityRef.optional(),
    environment: slug.optional(),
    type: z.enum(INGESTION_KEY_TYPES).optional(),
    status: z.enum(INGESTION_KEY_STATUSES).optional(),
    createdBy: creator.optional(),
    ownerRef: entityRef.optional(),
    includeRevoked: z
      .enum(['true', 'false'])
      .transform(v => v === 'true')
      .optional(),
    orderBy: z.enum(KEY_SORT_FIELDS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: integer(1, 1000).optional(),
    offset: integer(0, MAX_LIST_OFFSET).optional(),
  })
  .strict();

export const entityEventsQuery = z.object({ entityRef }).strict();

export const optionalEntityQuery = z
  .object({ entityRef: entityRef.optional() })
  .strict();

export const noQuery = z.object({}).strict();

/** Parses request input, answering 400 with a message that names each bad field. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  where: 'body' | 'query' | 'path' | 'input',
): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return `unknown ${where} field${
        issue.keys.length > 1 ? 's' : ''
      } ${issue.keys.join(', ')}`;
    }
    const field = issue.path.join('.');
    return field
      ? `${field} ${issue.message.replace(/^./, c => c.toLowerCase())}`
      : issue.message;
  });
  throw new InputError(`Invalid request ${where}: ${problems.join('; ')}`);
}

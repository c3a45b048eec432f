import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  DEFAULT_NAMING_PATTERN,
  INGESTION_KEY_TYPES,
  IngestionKeyType,
  IngestionKeysSettings,
  validateNamingPattern,
} from '@ingestion-keys/plugin-ingestion-keys-common';

/** How the reconciler runs, every option resolved to its value or default. */
export interface ProvisioningConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Creates in flight at once: 16 make 40+ keys/s at 200 ms per store call. */
  concurrency: number;
  /** Catalog entities per page, and keys per database query. */
  pageSize: number;
  /** Entries of an entity's annotation that are read. */
  maxEntriesPerEntity: number;
  /**
   * How long a reservation may stay pending before the reconciler concludes that whoever made
   * it died between the key store and the database, and heals it.
   */
  pendingTimeoutMs: number;
  /** Opt-in: revoke undesired keys this long after they became undesired. */
  revokeUndesiredAfterMs?: number;
}

/** The whole `ingestionKeys` config, read and checked once at startup. */
export interface IngestionKeysConfig {
  /** What the API and the UI share. */
  settings: IngestionKeysSettings;
  /** Tag value that marks keys as this portal's in the key store. */
  managedBy: string;
  /** Unset, it is refused like a key of the wrong length, by a message that says what to put. */
  embeddedEncryptionKey: string;
  /** Keys the embedded store's values may still be encrypted with; it writes with the current one. */
  embeddedPreviousEncryptionKeys: string[];
  /** Undefined when provisioning is turned off. */
  provisioning?: ProvisioningConfig;
  /** Live keys an entity may have before creating another is refused. */
  maxLiveKeysPerEntity: number;
  /** What each backend service subject may do beyond reading metadata. */
  serviceAccess: ServiceAccess;
  /** Owner notifications; undefined when turned off. */
  notifications?: NotificationsConfig;
  delivery: DeliveryConfig;
  rotation: RotationConfig;
}

/** How keys reach their delivery targets. */
export interface DeliveryConfig {
  /** When due deliveries are made and rotations finished (on one instance at a time). */
  schedule: SchedulerServiceTaskScheduleDefinition;
  concurrency: number;
  timeoutMs: number;
  /** External Secrets stores that may pull keys, by name, to the service subject that pulls. */
  externalSecretsStores: ReadonlyMap<string, string>;
  /** Pulls a store may make per minute, on each backend instance. */
  pullsPerMinute: number;
}

/** One `rotation.maxAge` rule: the first whose environment and type match a key applies. */
export interface MaxAgeRule {
  environment?: string;
  type?: IngestionKeyType;
  maxAgeMs: number;
}

/** The age policy and how rotations of delivered keys finish. */
export interface RotationConfig {
  maxAge: MaxAgeRule[];
  /** Rotate delivered keys past their age without a person. */
  automatic: boolean;
  /** Revoke a rotated key this long after its successor reached every target; unset, never. */
  revokeAfterDeliveryMs?: number;
}

/** How owners are notified of what happens to their keys. */
export interface NotificationsConfig {
  /** A rotated key still `rotating` this long after its rotation is brought up again, and so on. */
  rotationReminder: HumanDuration;
}

/** What a backend service may be allowed beyond reading metadata; `admin` is the org-wide routes. */
export const SERVICE_OPERATIONS = [
  'create',
  'reveal',
  'rotate',
  'revoke',
  'admin',
] as const;
export type ServiceOperation = (typeof SERVICE_OPERATIONS)[number];

/** Service subject (`plugin:scaffolder`, `external:ci`) to the operations config allows it. */
export type ServiceAccess = ReadonlyMap<string, ReadonlySet<ServiceOperation>>;

const ENVIRONMENT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

const optionalMs = (config: Config | undefined, key: string) =>
  config?.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : undefined;

/**
 * The shortest `provisioning.pendingTimeout`: a reservation younger than this may still have its
 * key store call in flight, and settling it then would make the request take its key back. The
 * key store calls are bounded by the stores' own timeouts (groundcover: 10 s a request, 15 s
 * waiting for a new key to be listed, under a minute in all at the defaults); a fixed floor well
 * above that keeps this check independent of which key store module is installed.
 */
const MIN_PENDING_TIMEOUT_MS = 2 * 60_000;

function readPendingTimeout(config: Config | undefined): number {
  const ms = optionalMs(config, 'pendingTimeout') ?? 5 * 60_000;
  if (ms < MIN_PENDING_TIMEOUT_MS) {
    throw new Error(
      `ingestionKeys.provisioning.pendingTimeout must be at least 2 minutes (PT2M), longer than a key store call can take, so that no reservation still being created is settled; it is ${ms} ms`,
    );
  }
  return ms;
}

/** Limits must let at least one through; a fraction or 0 would refuse everything unawares. */
function positiveInteger(config: Config | undefined, path: string) {
  const key = path.split('.').pop()!;
  const value = config?.getOptionalNumber(key);
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new Error(
      `ingestionKeys.${path} must be a whole number of at least 1; it is ${value}`,
    );
  }
  return value;
}

function readSettings(root: Config | undefined): IngestionKeysSettings {
  const environments = root?.getOptionalStringArray('environments') ?? [
    'production',
    'staging',
  ];
  if (environments.length === 0) {
    throw new Error(
      'ingestionKeys.environments must list at least one environment, such as production',
    );
  }
  const invalid = environments.find(
    env => !ENVIRONMENT.test(env) || env.length > 63,
  );
  if (invalid !== undefined) {
    throw new Error(
      `ingestionKeys.environments must list environments of lowercase letters, digits and hyphens, at most 63 characters; "${invalid}" is not one`,
    );
  }
  const namingPattern =
    root?.getOptionalString('naming.pattern') ?? DEFAULT_NAMING_PATTERN;
  const patternProblem = validateNamingPattern(namingPattern);
  if (patternProblem) {
    throw new Error(`ingestionKeys.naming.pattern: ${patternProblem}`);
  }
  const firehoseEndpoint = root?.getOptionalString('snippets.firehoseEndpoint');
  return {
    environments,
    types: [...INGESTION_KEY_TYPES],
    provider: root?.getOptionalString('provider') ?? 'embedded',
    namingPattern,
    snippets: {
      otlpEndpoint:
        root?.getOptionalString('snippets.otlpEndpoint') ??
        'https://otlp.example.groundcover.com',
      rumDsn:
        root?.getOptionalString('snippets.rumDsn') ??
        'https://rum.example.groundcover.com',
      ...(firehoseEndpoint ? { firehoseEndpoint } : {}),
    },
  };
}

function readProvisioning(
  config: Config | undefined,
): ProvisioningConfig | undefined {
  if (config?.getOptionalBoolean('enabled') === false) {
    return undefined;
  }
  const revokeUndesiredAfterMs = optionalMs(config, 'revokeUndesiredAfter');
  return {
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    concurrency: config?.getOptionalNumber('concurrency') ?? 16,
    pageSize: 500,
    maxEntriesPerEntity:
      positiveInteger(config, 'provisioning.maxEntriesPerEntity') ?? 20,
    pendingTimeoutMs: readPendingTimeout(config),
    ...(revokeUndesiredAfterMs !== undefined ? { revokeUndesiredAfterMs } : {}),
  };
}

function readServiceAccess(root: Config | undefined): ServiceAccess {
  const access = new Map<string, Set<ServiceOperation>>();
  (root?.getOptionalConfigArray('serviceAccess') ?? []).forEach((rule, i) => {
    const at = `ingestionKeys.serviceAccess[${i}]`;
    const subject = rule.getString('subject');
    // As Backstage's own external access checks a static token's subject.
    if (!/^\S+$/.test(subject)) {
      throw new Error(
        `${at}.subject: "${subject}" is not a service subject; write plugin:<plugin id> for another plugin, or the subject of a token (static: as configured; JWKS: external:<sub>)`,
      );
    }
    if (access.has(subject)) {
      throw new Error(
        `${at}.subject: ${subject} is listed twice; give each service subject one entry`,
      );
    }
    const allow = rule.getStringArray('allow');
    const unknown = allow.find(
      op => !(SERVICE_OPERATIONS as readonly string[]).includes(op),
    );
    if (unknown !== undefined) {
      throw new Error(
        `${at}.allow: "${unknown}" is not an operation; use ${SERVICE_OPERATIONS.join(
          ', ',
        )} (services may always read key metadata)`,
      );
    }
    access.set(subject, new Set(allow as ServiceOperation[]));
  });
  return access;
}

/**
 * A store shared with other portals (groundcover) tells their keys apart only by this tag, so a
 * guessed default there could let two portals adopt, reveal or revoke each other's keys.
 */
function readManagedBy(root: Config | undefined, provider: string): string {
  const managedBy = root?.getOptionalString('managedBy');
  if (managedBy !== undefined || provider === 'embedded') {
    return managedBy ?? 'backstage';
  }
  throw new Error(
    `ingestionKeys.managedBy must be set when ingestionKeys.provider is "${provider}": ` +
      "give each portal that shares the key store its own value, such as the portal's host name",
  );
}

/** Reads and checks every `ingestionKeys` option, applying each default in this one place. */
export function readIngestionKeysConfig(config: Config): IngestionKeysConfig {
  const root = config.getOptionalConfig('ingestionKeys');
  const settings = readSettings(root);
  const provisioning = readProvisioning(
    root?.getOptionalConfig('provisioning'),
  );
  return {
    settings,
    managedBy: readManagedBy(root, settings.provider),
    embeddedEncryptionKey:
      root?.getOptionalString('embedded.encryptionKey') ?? '',
    embeddedPreviousEncryptionKeys:
      root?.getOptionalStringArray('embedded.previousEncryptionKeys') ?? [],
    ...(provisioning ? { provisioning } : {}),
    maxLiveKeysPerEntity: positiveInteger(root, 'maxLiveKeysPerEntity') ?? 50,
    serviceAccess: readServiceAccess(root),
    ...readNotifications(root?.getOptionalConfig('notifications')),
    delivery: readDelivery(root?.getOptionalConfig('delivery')),
    rotation: readRotation(root?.getOptionalConfig('rotation'), settings),
  };
}

const DEFAULT_DELIVERY_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 20 },
};

function readDelivery(config: Config | undefined): DeliveryConfig {
  const stores = new Map<string, string>();
  (config?.getOptionalConfigArray('externalSecrets.stores') ?? []).forEach(
    (store, i) => {
      const at = `ingestionKeys.delivery.externalSecrets.stores[${i}]`;
      const name = store.getString('name');
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) {
        throw new Error(
          `${at}.name: "${name}" must be lowercase letters, digits and hyphens; it is the <store> of external-secrets:<store> targets and of the pull URL`,
        );
      }
      if (stores.has(name)) {
        throw new Error(`${at}.name: ${name} is listed twice`);
      }
      stores.set(name, store.getString('subject'));
    },
  );
  return {
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_DELIVERY_SCHEDULE,
    concurrency: positiveInteger(config, 'delivery.concurrency') ?? 8,
    timeoutMs: optionalMs(config, 'timeout') ?? 30_000,
    externalSecretsStores: stores,
    pullsPerMinute:
      positiveInteger(
        config?.getOptionalConfig('externalSecrets'),
        'delivery.externalSecrets.pullsPerMinute',
      ) ?? 60,
  };
}

function readRotation(
  config: Config | undefined,
  settings: IngestionKeysSettings,
): RotationConfig {
  const maxAge = (config?.getOptionalConfigArray('maxAge') ?? []).map(
    (rule, i): MaxAgeRule => {
      const at = `ingestionKeys.rotation.maxAge[${i}]`;
      const environment = rule.getOptionalString('environment');
      const type = rule.getOptionalString('type');
      if (environment && !settings.environments.includes(environment)) {
        throw new Error(
          `${at}.environment: "${environment}" is not configured; use one of ${settings.environments.join(
            ', ',
          )}`,
        );
      }
      if (type && !(INGESTION_KEY_TYPES as readonly string[]).includes(type)) {
        throw new Error(
          `${at}.type: "${type}" is not a key type; use one of ${INGESTION_KEY_TYPES.join(
            ', ',
          )}`,
        );
      }
      const maxAgeMs = optionalMs(rule, 'after') ?? 0;
      if (maxAgeMs <= 0) {
        throw new Error(
          `${at}.after must be a positive duration, such as { days: 90 } or P90D`,
        );
      }
      return {
        ...(environment ? { environment } : {}),
        ...(type ? { type: type as IngestionKeyType } : {}),
        maxAgeMs,
      };
    },
  );
  const revokeAfterDeliveryMs = optionalMs(config, 'revokeAfterDelivery');
  const automatic = config?.getOptionalBoolean('automatic') ?? false;
  if (automatic && maxAge.length === 0) {
    throw new Error(
      'ingestionKeys.rotation.automatic rotates keys past their age, but ingestionKeys.rotation.maxAge sets none; add a rule such as { after: { days: 90 } }',
    );
  }
  if (revokeAfterDeliveryMs !== undefined && revokeAfterDeliveryMs < 0) {
    throw new Error(
      'ingestionKeys.rotation.revokeAfterDelivery must not be negative',
    );
  }
  return {
    maxAge,
    automatic,
    ...(revokeAfterDeliveryMs !== undefined ? { revokeAfterDeliveryMs } : {}),
  };
}

function readNotifications(config: Config | undefined): {
  notifications?: NotificationsConfig;
} {
  if (config?.getOptionalBoolean('enabled') === false) {
    return {};
  }
  const rotationReminder = config?.has('rotationReminder')
    ? readDurationFromConfig(config, { key: 'rotationReminder' })
    : { days: 1 };
  if (durationToMilliseconds(rotationReminder) <= 0) {
    throw new Error(
      'ingestionKeys.notifications.rotationReminder must be a positive duration, such as { days: 1 } or P1D',
    );
  }
  return { notifications: { rotationReminder } };
}

import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  IngestionKeyDeliveryProvider,
  KeyDeliveryReceipt,
  KeyDeliveryRequest,
} from '@ingestion-keys/plugin-ingestion-keys-node';
import { V1Secret } from '@kubernetes/client-node';
import { buildSecret } from './buildSecret';
import { checkOwnership } from './checkOwnership';
import {
  KubernetesApiError,
  KubernetesRequestOptions,
  KubernetesSecretsClient,
} from './client';
import { createRedactor } from './createRedactor';
import { errorForFailedRequest } from './errorForFailedRequest';
import { KubernetesClusterSettings } from './KubernetesClusterSettings';
import {
  dataKeyProblem,
  KubernetesSecretAddress,
  KubernetesSecretDefaults,
  secretNameProblem,
} from './KubernetesSecretAddress';

const CLUSTER_NAME = /^[a-zA-Z0-9]([-._a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** @public */
export interface KubernetesDeliveryProviderOptions {
  /** The clusters addresses may name; names must be unique. */
  clusters: KubernetesClusterSettings[];
  /** What an address that leaves them out means. Default `api-key` and `API_KEY`. */
  defaults?: { secretName?: string; dataKey?: string };
  /** Told of deliveries and retries, never of values or tokens. */
  logger: LoggerService;
  /**
   * How many times a delivery reads and writes the Secret when others keep changing it
   * (a replace answered 409 Conflict, a create answered 409 AlreadyExists). Default 5.
   */
  maxAttempts?: number;
}

/**
 * Delivers key values into Kubernetes Secrets, by default shaped as the groundcover Helm chart
 * reads a predefined token (Secret `api-key`, data key `API_KEY`). Targets are written
 * `kubernetes:<cluster>/<namespace>[/<secret name>[/<data key>]]`.
 *
 * @public
 */
export class KubernetesDeliveryProvider
  implements IngestionKeyDeliveryProvider
{
  /** Targets are written `kubernetes:<address>`. */
  readonly kind = 'kubernetes';
  /** The address syntax, the defaults and the configured clusters, for the person adding a target. */
  readonly addressFormat: string;

  private readonly clients: Map<string, KubernetesSecretsClient>;
  private readonly tokens: string[];
  private readonly defaults: KubernetesSecretDefaults;
  private readonly logger: LoggerService;
  private readonly maxAttempts: number;

  /** Reads `ingestionKeys.kubernetes`; throws `InputError` for a configuration that cannot work. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): KubernetesDeliveryProvider {
    const settings = config.getOptionalConfig('ingestionKeys.kubernetes');
    const clusters = (settings?.getOptionalConfigArray('clusters') ?? []).map(
      cluster => ({
        name: cluster.getString('name'),
        url: cluster.getString('url'),
        caData: cluster.getOptionalString('caData'),
        serviceAccountToken: cluster.getString('serviceAccountToken'),
        timeoutMs: cluster.has('timeout')
          ? durationToMilliseconds(
              readDurationFromConfig(cluster, { key: 'timeout' }),
            )
          : undefined,
      }),
    );
    return KubernetesDeliveryProvider.create({
      clusters,
      defaults: {
        secretName: settings?.getOptionalString('defaults.secretName'),
        dataKey: settings?.getOptionalString('defaults.dataKey'),
      },
      logger: options.logger,
    });
  }

  /** Throws `InputError` for settings that cannot work (a cluster name used twice, a bad URL). */
  static create(
    options: KubernetesDeliveryProviderOptions,
  ): KubernetesDeliveryProvider {
    return new KubernetesDeliveryProvider(options);
  }

  private constructor(options: KubernetesDeliveryProviderOptions) {
    const names = new Set<string>();
    for (const cluster of options.clusters) {
      if (!CLUSTER_NAME.test(cluster.name)) {
        throw new InputError(
          `ingestionKeys.kubernetes: cluster name "${cluster.name}" may only contain letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
        );
      }
      if (names.has(cluster.name)) {
        throw new InputError(
          `ingestionKeys.kubernetes: cluster name "${cluster.name}" is configured twice; cluster names must be unique`,
        );
      }
      names.add(cluster.name);
    }
    this.defaults = {
      secretName: options.defaults?.secretName ?? 'api-key',
      dataKey: options.defaults?.dataKey ?? 'API_KEY',
    };
    const defaultsProblem =
      secretNameProblem(this.defaults.secretName) ??
      dataKeyProblem(this.defaults.dataKey);
    if (defaultsProblem) {
      throw new InputError(
        `ingestionKeys.kubernetes.defaults: ${defaultsProblem}`,
      );
    }
    this.clients = new Map(
      options.clusters.map(cluster => [
        cluster.name,
        KubernetesSecretsClient.create(cluster),
      ]),
    );
    this.tokens = options.clusters.map(cluster => cluster.serviceAccountToken);
    this.logger = options.logger;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.addressFormat = `<cluster>/<namespace>[/<secret name>[/<data key>]] (default secret name ${
      this.defaults.secretName
    }, data key ${this.defaults.dataKey}); clusters: ${[...names].join(', ')}`;
  }

  /**
   * Returns `<cluster>/<namespace>/<secret name>/<data key>`, the defaults filled in; throws
   * `InputError` saying which part to fix.
   */
  parseAddress(address: string): string {
    return this.parse(address).toString();
  }

  /**
   * Creates the Secret, or replaces the value in one this portal wrote, keeping its other data
   * keys; refuses any other Secret with `ConflictError`.
   */
  async deliver(request: KeyDeliveryRequest): Promise<KeyDeliveryReceipt> {
    const address = this.parse(request.address);
    const client = this.clients.get(address.cluster)!;
    const redact = createRedactor([
      request.secret,
      Buffer.from(request.secret, 'utf8').toString('base64'),
      ...this.tokens,
    ]);
    const options: KubernetesRequestOptions = {
      signal: request.signal,
      redact,
    };
    const { namespace, secretName } = address;

    for (let attempt = 1; ; attempt++) {
      let existing: V1Secret | undefined;
      try {
        existing = await client.read(namespace, secretName, options);
      } catch (error) {
        throw errorForFailedRequest(error, { verb: 'get', address, redact });
      }
      if (existing) {
        checkOwnership(existing, { managedBy: request.managedBy, address });
      }
      const body = buildSecret({
        existing,
        address,
        request,
        deliveredAt: new Date(),
      });
      const verb = existing ? 'update' : 'create';
      try {
        await (existing
          ? client.replace(namespace, secretName, body, options)
          : client.create(namespace, body, options));
      } catch (error) {
        if (!isLostRace(error, verb)) {
          throw errorForFailedRequest(error, { verb, address, redact });
        }
        const answered = `${error.code} ${error.reason}`;
        if (attempt >= this.maxAttempts) {
          throw new ConflictError(
            `${address.describe()} kept changing while it was written (${attempt} attempts, the last answered ${answered}); something else writes this Secret: stop it, or point the target at another Secret`,
          );
        }
        // Someone else wrote, created or deleted the Secret between our read and our write:
        // read it again, which also checks again that it is still ours.
        this.logger.warn(
          `${address.describe()} changed while key ${
            request.key.name
          } was delivered (${answered}); reading it again (attempt ${
            attempt + 1
          } of ${this.maxAttempts})`,
        );
        continue;
      }
      this.logger.info(
        `Delivered key ${request.key.name} (generation ${
          request.key.generation
        }) to ${address.describe()}`,
      );
      return { location: address.describe() };
    }
  }

  private parse(address: string): KubernetesSecretAddress {
    return KubernetesSecretAddress.parse(address, {
      clusters: [...this.clients.keys()],
      defaults: this.defaults,
    });
  }
}

/**
 * A write that lost a race, worth a fresh read: a stale replace (409 Conflict), a create beaten to
 * it (409 AlreadyExists), or a replace of a Secret deleted since the read (404 for the Secret).
 */
function isLostRace(
  error: unknown,
  verb: 'create' | 'update',
): error is KubernetesApiError {
  if (!(error instanceof KubernetesApiError)) {
    return false;
  }
  if (verb === 'create') {
    return error.code === 409 && error.reason === 'AlreadyExists';
  }
  return (
    (error.code === 409 && error.reason === 'Conflict') ||
    (error.code === 404 && error.detailsKind === 'secrets')
  );
}

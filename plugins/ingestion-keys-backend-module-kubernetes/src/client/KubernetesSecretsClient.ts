import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  ApiException,
  ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  V1Secret,
} from '@kubernetes/client-node';
import { KubernetesClusterSettings } from '../KubernetesClusterSettings';
import { KubernetesApiError } from './KubernetesApiError';

const DEFAULT_TIMEOUT_MS = 10000;

const TLS_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface KubernetesRequestOptions {
  /** The caller's deadline, on top of the cluster's own timeout. */
  signal?: AbortSignal;
  /** Removes secrets from any text taken from an answer or a socket error. */
  redact: (text: string) => string;
}

/** caData may be PEM or, as in a kubeconfig, base64 of the PEM; KubeConfig wants the latter. */
function caDataForKubeConfig(cluster: string, caData: string): string {
  const pem = caData.includes('-----BEGIN CERTIFICATE-----')
    ? caData
    : Buffer.from(caData, 'base64').toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InputError(
      `ingestionKeys.kubernetes cluster "${cluster}": caData is neither a PEM certificate nor base64 of one`,
    );
  }
  return Buffer.from(pem, 'utf8').toString('base64');
}

function parseUrl(cluster: string, url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(
      `ingestionKeys.kubernetes cluster "${cluster}": url "${url}" is not a URL; write for example https://k8s.example.com:6443`,
    );
  }
  // The token goes with every request: never over plain HTTP.
  if (parsed.protocol !== 'https:') {
    throw new InputError(
      `ingestionKeys.kubernetes cluster "${cluster}": url "${url}" must start with https://`,
    );
  }
  return parsed;
}

/** The Status object in an error answer, if the body is one. */
function statusOf(body: unknown): Record<string, unknown> | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === 'object' && parsed !== null
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/**
 * Reads and writes Secrets in one cluster through `@kubernetes/client-node`. Every failure comes
 * out as a `KubernetesApiError` (the API answered with an error status) or a
 * `ServiceUnavailableError` (no answer): the client library's own errors carry the request's
 * headers and body, so none of them is passed on.
 */
export class KubernetesSecretsClient {
  readonly cluster: string;
  private readonly api: CoreV1Api;
  private readonly timeoutMs: number;
  private readonly describeServer: string;

  static create(settings: KubernetesClusterSettings): KubernetesSecretsClient {
    return new KubernetesSecretsClient(settings);
  }

  private constructor(settings: KubernetesClusterSettings) {
    const url = parseUrl(settings.name, settings.url);
    this.cluster = settings.name;
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) {
      throw new InputError(
        `ingestionKeys.kubernetes cluster "${settings.name}": timeout must be longer than 0`,
      );
    }
    this.describeServer = `cluster ${settings.name} (${url.origin})`;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: settings.name,
          server: settings.url,
          skipTLSVerify: false,
          ...(settings.caData
            ? { caData: caDataForKubeConfig(settings.name, settings.caData) }
            : {}),
        },
      ],
      users: [{ name: 'ingestion-keys', token: settings.serviceAccountToken }],
      contexts: [
        { name: settings.name, cluster: settings.name, user: 'ingestion-keys' },
      ],
      currentContext: settings.name,
    });
    this.api = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** The Secret, or undefined when there is none. */
  async read(
    namespace: string,
    name: string,
    options: KubernetesRequestOptions,
  ): Promise<V1Secret | undefined> {
    try {
      return await this.call(
        config => this.api.readNamespacedSecret({ name, namespace }, config),
        options,
      );
    } catch (error) {
      // Only the API's own "secrets ... not found": a 404 for the path (a wrong URL, a proxy in
      // front of the API server) must not pass for a missing Secret.
      if (
        error instanceof KubernetesApiError &&
        error.code === 404 &&
        error.detailsKind === 'secrets'
      ) {
        return undefined;
      }
      throw error;
    }
  }

  async create(
    namespace: string,
    body: V1Secret,
    options: KubernetesRequestOptions,
  ): Promise<V1Secret> {
    return this.call(
      config => this.api.createNamespacedSecret({ namespace, body }, config),
      options,
    );
  }

  /** PUT: conditional on `body.metadata.resourceVersion`. */
  async replace(
    namespace: string,
    name: string,
    body: V1Secret,
    options: KubernetesRequestOptions,
  ): Promise<V1Secret> {
    return this.call(
      config =>
        this.api.replaceNamespacedSecret({ name, namespace, body }, config),
      options,
    );
  }

  private async call<T>(
    run: (config: ConfigurationOptions) => Promise<T>,
    options: KubernetesRequestOptions,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([timeout, options.signal])
      : timeout;
    // Per-call middleware is the one place the request (and so its fetch) can be given a signal.
    const withSignal: ObservableMiddleware = {
      pre: context => {
        context.setSignal(signal);
        return new Observable(Promise.resolve(context));
      },
      post: response => new Observable(Promise.resolve(response)),
    };
    try {
      return await run({
        middleware: [withSignal],
        middlewareMergeStrategy: 'append',
      });
    } catch (error) {
      throw this.translate(error, {
        timedOut: timeout.aborted,
        cancelled: !!options.signal?.aborted,
        redact: options.redact,
      });
    }
  }

  private translate(
    error: unknown,
    context: {
      timedOut: boolean;
      cancelled: boolean;
      redact: (text: string) => string;
    },
  ): Error {
    if (error instanceof ApiException) {
      const status = statusOf(error.body);
      const details = status?.details as { kind?: unknown } | undefined;
      const message = typeof status?.message === 'string' ? status.message : '';
      return new KubernetesApiError(
        error.code,
        typeof status?.reason === 'string' ? status.reason : '',
        typeof details?.kind === 'string' ? details.kind : undefined,
        context.redact(message),
      );
    }
    if (context.cancelled) {
      return new ServiceUnavailableError(
        `Stopped talking to ${this.describeServer}: the delivery's time was up`,
      );
    }
    if (context.timedOut) {
      return new ServiceUnavailableError(
        `${this.describeServer} did not answer within ${this.timeoutMs} ms`,
      );
    }
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string' && TLS_ERROR_CODES.has(code)) {
      return new ServiceUnavailableError(
        `Could not verify the TLS certificate of ${this.describeServer} (${code}): check the cluster's caData`,
      );
    }
    if (code === 'ECONNREFUSED') {
      return new ServiceUnavailableError(
        `${this.describeServer} refused the connection: is the URL right and the API server up?`,
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new ServiceUnavailableError(
        `The host of ${this.describeServer} was not found (${code})`,
      );
    }
    const reason =
      typeof code === 'string'
        ? code
        : context.redact(String((error as Error)?.message ?? error));
    return new ServiceUnavailableError(
      `Could not reach ${this.describeServer}: ${reason}`,
    );
  }
}

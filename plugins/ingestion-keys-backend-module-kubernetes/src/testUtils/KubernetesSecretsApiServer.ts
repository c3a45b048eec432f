import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:https';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import {
  TEST_CA_CERTIFICATE,
  TEST_SERVER_CERTIFICATE,
  TEST_SERVER_PRIVATE_KEY,
} from './testCertificates';

/**
 * A Kubernetes API verb on secrets, as RBAC names it.
 *
 * @public
 */
export type KubernetesSecretsVerb =
  | 'get'
  | 'list'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete';

/**
 * Requests the stand-in answers 403 Forbidden: those matching every field given.
 *
 * @public
 */
export interface KubernetesDenyRule {
  /** Default any namespace. */
  namespace?: string;
  /** Default any verb. */
  verb?: KubernetesSecretsVerb;
}

/**
 * A `Status` failure the stand-in answers instead of performing the next matching request(s),
 * for answers its own rules never give (a 500, a 429, a message of the test's choosing).
 *
 * @public
 */
export interface KubernetesInjectedFailure {
  code: number;
  reason: string;
  /** Default the reason. */
  message?: string;
  /** The Status `details`; default none. */
  details?: object;
  /** Only requests of this verb match; default any. */
  verb?: KubernetesSecretsVerb;
  /** How many matching requests fail. Default 1. */
  count?: number;
}

/**
 * A request the stand-in received, without its body or headers.
 *
 * @public
 */
export interface KubernetesRecordedRequest {
  method: string;
  /** The path with its query string, for example `/api/v1/namespaces/ns/secrets/api-key`. */
  path: string;
}

/**
 * A Secret to put in place before a test, its data given decoded.
 *
 * @public
 */
export interface KubernetesSeedSecret {
  namespace: string;
  name: string;
  data?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

/**
 * Options of `KubernetesSecretsApiServer.start`.
 *
 * @public
 */
export interface KubernetesSecretsApiServerOptions {
  /** The only bearer token accepted. Default `test-service-account-token`. */
  token?: string;
  /** The namespaces that exist. Default `['default']`. */
  namespaces?: string[];
  /** Requests answered 403 Forbidden. */
  deny?: KubernetesDenyRule[];
  /** The port to listen on, for a stand-in other processes are configured with. Default: a free one. */
  port?: number;
}

/**
 * A Secret as the API returns it.
 *
 * @public
 */
export interface KubernetesStoredSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  type: string;
  data?: Record<string, string>;
  immutable?: boolean;
}

interface Answer {
  status: number;
  body: unknown;
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SERVICE_ACCOUNT = 'system:serviceaccount:ingestion-keys:backstage';
const SECRETS_PATH =
  /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?\/?$/;

function failure(
  code: number,
  reason: string,
  message: string,
  details?: object,
): Answer {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  };
}

function notFound(kind: string, name: string): Answer {
  return failure(404, 'NotFound', `${kind} "${name}" not found`, {
    name,
    kind,
  });
}

function badRequest(message: string): Answer {
  return failure(400, 'BadRequest', message);
}

function invalid(
  name: string,
  causes: Array<{ field: string; message: string }>,
): Answer {
  return failure(
    422,
    'Invalid',
    `Secret "${name}" is invalid: ${causes
      .map(cause => `${cause.field}: ${cause.message}`)
      .join(', ')}`,
    {
      name,
      kind: 'Secret',
      causes: causes.map(cause => ({
        reason: 'FieldValueInvalid',
        message: cause.message,
        field: cause.field,
      })),
    },
  );
}

function verbOf(method: string, name: string | undefined) {
  switch (method) {
    case 'GET':
      return name ? 'get' : 'list';
    case 'POST':
      return name ? undefined : 'create';
    case 'PUT':
      return name ? 'update' : undefined;
    case 'PATCH':
      return name ? 'patch' : undefined;
    case 'DELETE':
      return name ? 'delete' : undefined;
    default:
      return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) {
    return patch;
  }
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/**
 * A local HTTPS server that answers the Kubernetes core/v1 Secrets API as a real API server
 * does (paths, bearer-token authentication, `Status` objects, `resourceVersion` preconditions,
 * validation), with fault hooks, so that tests run `@kubernetes/client-node` against it. Its
 * certificate is signed by `TEST_CA_CERTIFICATE`: give that as the cluster's `caData`.
 *
 * Where the real API differs by verb, the stand-in does too: a create in a missing namespace is
 * 404 `namespaces "x" not found`, while a get there is 404 `secrets "y" not found` (the API
 * server only checks the namespace on create); `data` that is not base64 is 400 BadRequest (the
 * body cannot be decoded), while bad names and data keys are 422 Invalid.
 *
 * @public
 */
export class KubernetesSecretsApiServer {
  /** The bearer token the server accepts. */
  readonly token: string;
  /** The CA to trust for this server (PEM). */
  readonly caData: string = TEST_CA_CERTIFICATE;
  private readonly namespaces: Set<string>;
  private deny: KubernetesDenyRule[];
  private readonly secrets = new Map<string, KubernetesStoredSecret>();
  private readonly recorded: KubernetesRecordedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private port = 0;
  private resourceVersion = 1000;
  private hangsLeft = 0;
  private concurrentWritesLeft = 0;
  private concurrentCreate: KubernetesSeedSecret | undefined;
  private injected: Array<KubernetesInjectedFailure & { left: number }> = [];
  private hangWaiters: Array<() => void> = [];

  /** Listens on a free port of 127.0.0.1. */
  static async start(
    options: KubernetesSecretsApiServerOptions = {},
  ): Promise<KubernetesSecretsApiServer> {
    const instance = new KubernetesSecretsApiServer(options);
    await instance.listen();
    return instance;
  }

  private constructor(options: KubernetesSecretsApiServerOptions) {
    this.token = options.token ?? 'test-service-account-token';
    this.namespaces = new Set(options.namespaces ?? ['default']);
    this.deny = [...(options.deny ?? [])];
    this.port = options.port ?? 0;
    this.server = this.createServer();
  }

  /** `https://127.0.0.1:<port>`; the port stays the same across `restart()`. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Makes a namespace exist, so that Secrets can be created in it. */
  addNamespace(name: string): void {
    this.namespaces.add(name);
  }

  /** Replaces the deny list: matching requests are answered 403 Forbidden. */
  setDenyRules(rules: KubernetesDenyRule[]): void {
    this.deny = [...rules];
  }

  /** Puts a Secret in place, as if someone else had created it. */
  seedSecret(seed: KubernetesSeedSecret): KubernetesStoredSecret {
    this.namespaces.add(seed.namespace);
    const secret: KubernetesStoredSecret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: seed.name,
        namespace: seed.namespace,
        uid: randomUUID(),
        resourceVersion: this.nextResourceVersion(),
        creationTimestamp: new Date().toISOString(),
        ...(seed.labels ? { labels: { ...seed.labels } } : {}),
        ...(seed.annotations ? { annotations: { ...seed.annotations } } : {}),
      },
      type: seed.type ?? 'Opaque',
      ...(seed.immutable !== undefined ? { immutable: seed.immutable } : {}),
      data: Object.fromEntries(
        Object.entries(seed.data ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value, 'utf8').toString('base64'),
        ]),
      ),
    };
    this.secrets.set(`${seed.namespace}/${seed.name}`, secret);
    return clone(secret);
  }

  /** The Secret as stored, or undefined. */
  getSecret(
    namespace: string,
    name: string,
  ): KubernetesStoredSecret | undefined {
    const secret = this.secrets.get(`${namespace}/${name}`);
    return secret && clone(secret);
  }

  /** The Secret's data, decoded, or undefined when there is no such Secret. */
  readSecretData(
    namespace: string,
    name: string,
  ): Record<string, string> | undefined {
    const secret = this.secrets.get(`${namespace}/${name}`);
    return (
      secret &&
      Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString('utf8'),
        ]),
      )
    );
  }

  /** The requests received so far, oldest first. */
  requests(): KubernetesRecordedRequest[] {
    return this.recorded.map(request => ({ ...request }));
  }

  /** Forgets the requests received so far. */
  clearRequests(): void {
    this.recorded.length = 0;
  }

  /** Answers the next matching request(s) with the given failure, after authentication. */
  injectFailure(injected: KubernetesInjectedFailure): void {
    this.injected.push({ ...injected, left: injected.count ?? 1 });
  }

  /**
   * The next `count` requests are never answered: the connection stays open until the client
   * gives up or the server stops.
   */
  hangNextRequests(count = 1): void {
    this.hangsLeft = count;
  }

  /** Resolves once a request is hanging (see `hangNextRequests`). */
  waitForHangingRequest(): Promise<void> {
    return new Promise(resolve => this.hangWaiters.push(resolve));
  }

  /**
   * After each of the next `count` answered reads of a single Secret, the stand-in changes that
   * Secret itself (an annotation), as a concurrent writer would: a replace built on the read
   * then carries a stale `resourceVersion` and is answered 409 Conflict.
   */
  writeConcurrentlyAfterNextReads(count = 1): void {
    this.concurrentWritesLeft = count;
  }

  /**
   * After the next read answered 404 for `seed`'s Secret, the stand-in creates it, as a
   * concurrent writer would: a create built on the read is then answered 409 AlreadyExists.
   */
  createConcurrentlyAfterNextMiss(seed: KubernetesSeedSecret): void {
    this.concurrentCreate = seed;
  }

  /** Stops answering and closes every open connection, hanging ones included. */
  async stop(): Promise<void> {
    const closed = new Promise<void>(resolve =>
      this.server.close(() => resolve()),
    );
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    await closed;
  }

  /** Listens again on the same port, with the Secrets it had. */
  async restart(): Promise<void> {
    this.server = this.createServer();
    await this.listen();
  }

  private createServer(): Server {
    const server = createServer(
      { cert: TEST_SERVER_CERTIFICATE, key: TEST_SERVER_PRIVATE_KEY },
      (req, res) => {
        this.handle(req, res).catch(error => {
          res.statusCode = 500;
          res.end(String(error));
        });
      },
    );
    server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // A client that rejects the certificate resets the connection; that is not the server's fault.
    server.on('tlsClientError', () => {});
    return server;
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    this.recorded.push({ method, path });
    const body = await readBody(req);
    if (this.hangsLeft > 0) {
      this.hangsLeft -= 1;
      this.hangWaiters.splice(0).forEach(resolve => resolve());
      return;
    }
    const answer = this.answer(req, method, path, body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  private answer(
    req: IncomingMessage,
    method: string,
    path: string,
    body: string,
  ): Answer {
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return failure(401, 'Unauthorized', 'Unauthorized');
    }
    const match = SECRETS_PATH.exec(path.split('?')[0]);
    if (!match) {
      return failure(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    const namespace = decodeURIComponent(match[1]);
    const name = match[2] && decodeURIComponent(match[2]);
    const verb = verbOf(method, name);
    if (!verb) {
      return failure(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    }
    const injected = this.injected.find(
      pending => pending.left > 0 && (!pending.verb || pending.verb === verb),
    );
    if (injected) {
      injected.left -= 1;
      return failure(
        injected.code,
        injected.reason,
        injected.message ?? injected.reason,
        injected.details,
      );
    }
    if (
      this.deny.some(
        rule =>
          (!rule.namespace || rule.namespace === namespace) &&
          (!rule.verb || rule.verb === verb),
      )
    ) {
      return failure(
        403,
        'Forbidden',
        `secrets${
          name ? ` "${name}"` : ''
        } is forbidden: User "${SERVICE_ACCOUNT}" cannot ${verb} resource "secrets" in API group "" in the namespace "${namespace}"`,
        { ...(name ? { name } : {}), kind: 'secrets' },
      );
    }
    switch (verb) {
      case 'get':
        return this.get(namespace, name!);
      case 'list':
        return this.list(namespace);
      case 'create':
        return this.create(namespace, body);
      case 'update':
        return this.update(namespace, name!, body);
      case 'patch':
        return this.patch(req, namespace, name!, body);
      default:
        return this.delete(namespace, name!);
    }
  }

  private get(namespace: string, name: string): Answer {
    const secret = this.secrets.get(`${namespace}/${name}`);
    if (!secret) {
      const seed = this.concurrentCreate;
      if (seed?.namespace === namespace && seed.name === name) {
        this.concurrentCreate = undefined;
        this.seedSecret(seed);
      }
      return notFound('secrets', name);
    }
    const answer = { status: 200, body: clone(secret) };
    if (this.concurrentWritesLeft > 0) {
      this.concurrentWritesLeft -= 1;
      secret.metadata.annotations = {
        ...secret.metadata.annotations,
        'example.com/concurrent-writer': secret.metadata.resourceVersion,
      };
      secret.metadata.resourceVersion = this.nextResourceVersion();
    }
    return answer;
  }

  private list(namespace: string): Answer {
    return {
      status: 200,
      body: {
        kind: 'SecretList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.resourceVersion) },
        items: [...this.secrets.values()]
          .filter(secret => secret.metadata.namespace === namespace)
          .map(clone),
      },
    };
  }

  private create(namespace: string, body: string): Answer {
    const parsed = this.decode(body);
    if ('status' in parsed) {
      return parsed;
    }
    const name = String(parsed.metadata?.name ?? '');
    if (!this.namespaces.has(namespace)) {
      return notFound('namespaces', namespace);
    }
    if (
      parsed.metadata?.namespace !== undefined &&
      parsed.metadata.namespace !== namespace
    ) {
      return badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const invalidAnswer = this.validate(name, parsed);
    if (invalidAnswer) {
      return invalidAnswer;
    }
    const key = `${namespace}/${name}`;
    if (this.secrets.has(key)) {
      return failure(409, 'AlreadyExists', `secrets "${name}" already exists`, {
        name,
        kind: 'secrets',
      });
    }
    const secret = this.toStored(namespace, name, parsed, {
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString(),
    });
    this.secrets.set(key, secret);
    return { status: 201, body: clone(secret) };
  }

  private update(namespace: string, name: string, body: string): Answer {
    const parsed = this.decode(body);
    if ('status' in parsed) {
      return parsed;
    }
    if (
      parsed.metadata?.namespace !== undefined &&
      parsed.metadata.namespace !== namespace
    ) {
      return badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (parsed.metadata?.name !== name) {
      return badRequest(
        `the name of the object (${parsed.metadata?.name}) does not match the name on the URL (${name})`,
      );
    }
    return this.write(namespace, name, parsed);
  }

  private patch(
    req: IncomingMessage,
    namespace: string,
    name: string,
    body: string,
  ): Answer {
    if (
      !req.headers['content-type']?.startsWith('application/merge-patch+json')
    ) {
      return failure(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
      );
    }
    const existing = this.secrets.get(`${namespace}/${name}`);
    if (!existing) {
      return notFound('secrets', name);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (error) {
      return badRequest(`error decoding patch: ${(error as Error).message}`);
    }
    const merged = mergePatch(clone(existing), patch);
    const decoded = this.decode(JSON.stringify(merged));
    if ('status' in decoded) {
      return decoded;
    }
    return this.write(namespace, name, decoded);
  }

  private delete(namespace: string, name: string): Answer {
    const secret = this.secrets.get(`${namespace}/${name}`);
    if (!secret) {
      return notFound('secrets', name);
    }
    this.secrets.delete(`${namespace}/${name}`);
    return {
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: 'secrets', uid: secret.metadata.uid },
      },
    };
  }

  /** Replace (PUT or the result of a PATCH), with `resourceVersion` as a precondition. */
  private write(
    namespace: string,
    name: string,
    parsed: Partial<KubernetesStoredSecret>,
  ): Answer {
    const existing = this.secrets.get(`${namespace}/${name}`);
    if (!existing) {
      return notFound('secrets', name);
    }
    const expected = parsed.metadata?.resourceVersion;
    if (expected && expected !== existing.metadata.resourceVersion) {
      return failure(
        409,
        'Conflict',
        `Operation cannot be fulfilled on secrets "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, kind: 'secrets' },
      );
    }
    const invalidAnswer = this.validate(name, parsed);
    if (invalidAnswer) {
      return invalidAnswer;
    }
    const updated = this.toStored(namespace, name, parsed, {
      uid: existing.metadata.uid,
      creationTimestamp: existing.metadata.creationTimestamp,
    });
    if (updated.type !== existing.type) {
      return invalid(name, [
        {
          field: 'type',
          message: `Invalid value: "${updated.type}": field is immutable`,
        },
      ]);
    }
    if (
      existing.immutable &&
      JSON.stringify(updated.data ?? {}) !== JSON.stringify(existing.data ?? {})
    ) {
      return invalid(name, [
        {
          field: 'data',
          message: 'Forbidden: field is immutable when `immutable` is set',
        },
      ]);
    }
    this.secrets.set(`${namespace}/${name}`, updated);
    return { status: 200, body: clone(updated) };
  }

  /** Parses a Secret body; undecodable JSON or base64 is 400, as the API server's decoder answers. */
  private decode(body: string): Partial<KubernetesStoredSecret> | Answer {
    let parsed: Record<string, any>;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return badRequest(
        `Secret in version "v1" cannot be handled as a Secret: ${
          (error as Error).message
        }`,
      );
    }
    if (!isRecord(parsed)) {
      return badRequest(
        'Secret in version "v1" cannot be handled as a Secret: not an object',
      );
    }
    for (const value of Object.values(parsed.data ?? {})) {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        return badRequest(
          'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0',
        );
      }
    }
    // The API server folds stringData into data and never returns it.
    const { stringData, ...rest } = parsed;
    if (isRecord(stringData)) {
      const data: Record<string, string> = isRecord(rest.data)
        ? (rest.data as Record<string, string>)
        : {};
      for (const [key, value] of Object.entries(stringData)) {
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      }
      rest.data = data;
    }
    return rest as Partial<KubernetesStoredSecret>;
  }

  private validate(
    name: string,
    parsed: Partial<KubernetesStoredSecret>,
  ): Answer | undefined {
    const causes: Array<{ field: string; message: string }> = [];
    if (!name) {
      causes.push({
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      });
    } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      causes.push({
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      });
    }
    let size = 0;
    for (const [key, value] of Object.entries(parsed.data ?? {})) {
      size += Buffer.from(value, 'base64').length;
      if (
        key.length > 253 ||
        !DATA_KEY.test(key) ||
        key === '.' ||
        key.startsWith('..')
      ) {
        causes.push({
          field: `data[${key}]`,
          message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
        });
      }
    }
    if (size > 1024 * 1024) {
      causes.push({
        field: 'data',
        message: 'Too long: must have at most 1048576 bytes',
      });
    }
    return causes.length > 0 ? invalid(name, causes) : undefined;
  }

  private toStored(
    namespace: string,
    name: string,
    parsed: Partial<KubernetesStoredSecret>,
    identity: { uid: string; creationTimestamp: string },
  ): KubernetesStoredSecret {
    const { labels, annotations } = parsed.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace,
        ...identity,
        resourceVersion: this.nextResourceVersion(),
        ...(labels ? { labels: { ...labels } } : {}),
        ...(annotations ? { annotations: { ...annotations } } : {}),
      },
      type: parsed.type ?? 'Opaque',
      ...(parsed.data ? { data: { ...parsed.data } } : {}),
      ...(parsed.immutable !== undefined
        ? { immutable: parsed.immutable }
        : {}),
    };
  }
}

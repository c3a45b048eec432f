import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** @public */
export type GroundcoverRoute = 'create' | 'list' | 'delete';

/**
 * A key as the server stores it. `key` is its secret value.
 *
 * @public
 */
export interface GroundcoverContractKey {
  id: string;
  name: string;
  key: string;
  type: string;
  remoteConfig: boolean;
  tags: string[] | null;
  createdBy: string;
}

/**
 * Behaviour of groundcover that the server reproduces, changeable while it runs.
 *
 * @public
 */
export interface GroundcoverContractServerQuirks {
  /**
   * A created key shows up in list only this long after the create; a deleted one lingers as
   * long. Each create and delete keeps the lag in force when it was made: changing it affects
   * later writes only (see `catchUpList()` to end the lag of earlier ones).
   */
  listLagMs: number;
  /** Added to every call before it takes effect and is answered; `stop()` ends the wait. */
  latencyMs: number;
}

/** @public */
export interface GroundcoverContractServerOptions
  extends Partial<GroundcoverContractServerQuirks> {
  /** The only API key accepted. Default `gcsa_contract-server-api-key`. */
  apiKey?: string;
  /** The inCloud backend the keys belong to. Default `contract-incloud-backend`. */
  backendId?: string;
  /** Backends that exist but are not inCloud: they answer 400 `... inCloud backends`. */
  nonInCloudBackendIds?: string[];
  /** `createdBy` of created keys. Default `contract-service-account`. */
  createdBy?: string;
  /** Success status of delete: 202 per the contract, 200 per one docs page. Default 202. */
  deleteStatus?: 200 | 202;
  /** Adds the `creationDate` that some docs examples still show. Default false. */
  withCreationDate?: boolean;
}

/**
 * A failure the server answers to the next matching call(s) instead of, or, with `afterCommit`,
 * after performing it: the operation takes effect but the caller does not learn it.
 *
 * @public
 */
export type GroundcoverFault = {
  /** Only calls to this route match; default any route. */
  route?: GroundcoverRoute;
  /** How many matching calls fail. Default 1. */
  times?: number;
  afterCommit?: boolean;
} & (
  | { kind: 'status'; status: number; message?: string }
  /** Never answers; the connection stays open until the client gives up or the server stops. */
  | { kind: 'timeout' }
  /** Closes the connection without an answer. */
  | { kind: 'drop' }
);

/** @public */
export interface SeedKeyInput {
  name: string;
  type?: string;
  remoteConfig?: boolean;
  tags?: string[] | null;
}

const ROUTES: Record<GroundcoverRoute, { method: string; path: string }> = {
  create: { method: 'POST', path: '/api/rbac/ingestion-keys/create' },
  list: { method: 'POST', path: '/api/rbac/ingestion-keys/list' },
  delete: { method: 'DELETE', path: '/api/rbac/ingestion-keys/delete' },
};

const KEY_TYPES = ['sensor', 'rum', 'thirdParty'];
const VALID_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Entry {
  key: GroundcoverContractKey;
  visibleAt: number;
  /** Set on delete: the key is gone at once but list shows it until then. */
  goneAt?: number;
}

interface Answer {
  status: number;
  body?: unknown;
}

/**
 * An answer held back by `holdAnswer()`.
 *
 * @public
 */
export interface GroundcoverHeldAnswer {
  /** Resolves once a matching call has taken effect and its answer is ready, but not yet sent. */
  readonly ready: Promise<void>;
  /** Sends the answer; before `ready`, lets the call be answered as soon as it is ready. */
  release(): void;
}

interface PendingHold {
  route: GroundcoverRoute;
  markReady: () => void;
  released: Promise<void>;
}

type PendingFault = GroundcoverFault & { remaining: number };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function badRequest(message: string): Answer {
  return { status: 400, body: { message } };
}

/**
 * A local HTTP server that follows groundcover's ingestion-key contract
 * (docs: groundcover-api.md), quirks included, with fault injection and call counters, so that
 * tests run the real client against it.
 *
 * @public
 */
export class GroundcoverContractServer {
  readonly apiKey: string;
  readonly backendId: string;
  private readonly nonInCloudBackendIds: string[];
  private readonly createdBy: string;
  private readonly deleteStatus: number;
  private readonly withCreationDate: boolean;
  private readonly server: Server;
  private url = '';
  private quirks: GroundcoverContractServerQuirks;
  private faults: PendingFault[] = [];
  private entries: Entry[] = [];
  /** Every key value made, kept after its key is deleted. */
  private readonly issued: string[] = [];
  private counts: Record<GroundcoverRoute, number> = {
    create: 0,
    list: 0,
    delete: 0,
  };
  private waiters: Array<{
    route: GroundcoverRoute;
    count: number;
    resolve: () => void;
  }> = [];
  private holds: PendingHold[] = [];
  /** Aborted by `stop()`: ends latency waits and held answers. */
  private readonly stopping = new AbortController();

  static async start(
    options: GroundcoverContractServerOptions = {},
  ): Promise<GroundcoverContractServer> {
    const instance = new GroundcoverContractServer(options);
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = instance.server.address() as AddressInfo;
    instance.url = `http://127.0.0.1:${port}`;
    return instance;
  }

  private constructor(options: GroundcoverContractServerOptions) {
    this.apiKey = options.apiKey ?? 'gcsa_contract-server-api-key';
    this.backendId = options.backendId ?? 'contract-incloud-backend';
    this.nonInCloudBackendIds = options.nonInCloudBackendIds ?? [];
    this.createdBy = options.createdBy ?? 'contract-service-account';
    this.deleteStatus = options.deleteStatus ?? 202;
    this.withCreationDate = options.withCreationDate ?? false;
    this.quirks = {
      listLagMs: options.listLagMs ?? 0,
      latencyMs: options.latencyMs ?? 0,
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => req.socket.destroy());
    });
  }

  /** The base URL to give a client, such as `http://127.0.0.1:41234`. */
  get baseUrl(): string {
    return this.url;
  }

  /** Calls received per route since the start or the last `resetCalls()`, faulted ones included. */
  get calls(): Record<GroundcoverRoute, number> {
    return { ...this.counts };
  }

  configure(quirks: Partial<GroundcoverContractServerQuirks>): void {
    this.quirks = { ...this.quirks, ...quirks };
  }

  /** Queues a fault; faults are used in the order they were injected. */
  injectFault(fault: GroundcoverFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  resetCalls(): void {
    this.counts = { create: 0, list: 0, delete: 0 };
  }

  /** Resolves once `route` has received `count` calls in all (at once when it already has). */
  waitForCalls(route: GroundcoverRoute, count: number): Promise<void> {
    return new Promise(resolve => {
      this.waiters.push({ route, count, resolve });
      this.notifyWaiters();
    });
  }

  /**
   * Ends the list lag of every create and delete made so far, as if it had passed: list shows
   * the created keys from now on and stops showing the deleted ones. With `deletes: false`,
   * deletes keep their lag, so a key deleted before list showed it is now listed until its
   * delete catches up: groundcover's list has caught up with a create but not the delete after it.
   * Later writes get the configured lag as usual.
   */
  catchUpList(options: { deletes?: boolean } = {}): void {
    const now = Date.now();
    for (const entry of this.entries) {
      entry.visibleAt = Math.min(entry.visibleAt, now);
      if (entry.goneAt !== undefined && options.deletes !== false) {
        entry.goneAt = Math.min(entry.goneAt, now);
      }
    }
  }

  /**
   * Holds back the answer to the next call to `route`: the call takes effect (a list reads the
   * keys, a create or delete commits) when it normally would, but its answer is sent only on
   * `release()`, as on a slow way back. Holds are used in the order they were made.
   */
  holdAnswer(route: GroundcoverRoute): GroundcoverHeldAnswer {
    let markReady!: () => void;
    let release!: () => void;
    const ready = new Promise<void>(resolve => {
      markReady = resolve;
    });
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    this.holds.push({ route, markReady, released });
    return { ready, release };
  }

  /** The keys that exist now, whether list shows them yet or not. */
  keys(): GroundcoverContractKey[] {
    return this.entries
      .filter(entry => entry.goneAt === undefined)
      .map(entry => ({ ...entry.key }));
  }

  /**
   * Every key value this server has made, seeded ones and those of deleted keys included: the
   * values a client must never write to its logs or errors.
   */
  issuedSecrets(): string[] {
    return [...this.issued];
  }

  /** Stores a key as if it had been created long ago: listed at once, no call counted. */
  seedKey(input: SeedKeyInput): GroundcoverContractKey {
    const key = this.newKey({
      name: input.name,
      type: input.type ?? 'sensor',
      remoteConfig: input.remoteConfig ?? false,
      tags: input.tags ?? null,
    });
    this.entries.push({ key, visibleAt: 0 });
    return { ...key };
  }

  /** Closes every connection, ending calls still waiting on latency, a hold or a timeout fault. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = (Object.keys(ROUTES) as GroundcoverRoute[]).find(
      r => ROUTES[r].path === path,
    );
    if (!route) {
      this.send(res, { status: 404, body: { message: 'not found' } });
      return;
    }
    if (req.method !== ROUTES[route].method) {
      this.send(res, { status: 405, body: { message: 'method not allowed' } });
      return;
    }
    this.counts[route]++;
    this.notifyWaiters();
    const body = await readBody(req);
    if (this.quirks.latencyMs > 0) {
      await sleep(this.quirks.latencyMs, undefined, {
        signal: this.stopping.signal,
      });
    }
    const fault = this.takeFault(route);
    if (fault && !fault.afterCommit) {
      await this.waitForRelease(route);
      this.fail(req, res, fault);
      return;
    }
    const answer = this.answer(route, req.headers, body);
    await this.waitForRelease(route);
    if (fault) {
      this.fail(req, res, fault);
      return;
    }
    this.send(res, answer);
  }

  private async waitForRelease(route: GroundcoverRoute): Promise<void> {
    const hold = this.holds.find(h => h.route === route);
    if (!hold) {
      return;
    }
    this.holds = this.holds.filter(h => h !== hold);
    hold.markReady();
    const { signal } = this.stopping;
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), {
        once: true,
      });
      hold.released.then(resolve);
    });
  }

  private answer(
    route: GroundcoverRoute,
    headers: IncomingHttpHeaders,
    rawBody: string,
  ): Answer {
    if (headers.authorization !== `Bearer ${this.apiKey}`) {
      return { status: 401, body: { message: 'unauthorized' } };
    }
    const backendId = headers['x-backend-id'];
    if (typeof backendId !== 'string' || !backendId) {
      return badRequest('the X-Backend-Id header is required');
    }
    if (this.nonInCloudBackendIds.includes(backendId)) {
      return badRequest(
        'ingestion keys management is only supported on inCloud backends',
      );
    }
    if (backendId !== this.backendId) {
      return {
        status: 401,
        body: { message: 'the API key does not belong to this backend' },
      };
    }
    if (!headers['content-type']?.startsWith('application/json')) {
      return badRequest('Content-Type must be application/json');
    }
    if (!rawBody) {
      return badRequest('a JSON body is required');
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return badRequest('the body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return badRequest('the body must be a JSON object');
    }
    if (route === 'create') {
      return this.create(body);
    }
    if (route === 'list') {
      return this.list(body);
    }
    return this.delete(body);
  }

  private create(body: Record<string, unknown>): Answer {
    const { name, type, remoteConfig, tags } = body;
    if (typeof name !== 'string' || !VALID_NAME.test(name)) {
      return badRequest('name must be lowercase with hyphens');
    }
    if (typeof type !== 'string' || !KEY_TYPES.includes(type)) {
      return badRequest(`type must be one of ${KEY_TYPES.join(', ')}`);
    }
    if (remoteConfig !== undefined && typeof remoteConfig !== 'boolean') {
      return badRequest('remoteConfig must be a boolean');
    }
    if (
      tags !== undefined &&
      tags !== null &&
      !(Array.isArray(tags) && tags.every(tag => typeof tag === 'string'))
    ) {
      return badRequest('tags must be an array of strings');
    }
    if (this.entries.some(e => e.goneAt === undefined && e.key.name === name)) {
      return {
        status: 409,
        body: { message: `ingestion key ${name} already exists` },
      };
    }
    const key = this.newKey({
      name,
      type,
      remoteConfig: remoteConfig ?? false,
      tags: (tags as string[] | undefined) ?? null,
    });
    this.entries.push({ key, visibleAt: Date.now() + this.quirks.listLagMs });
    return { status: 201, body: this.present(key) };
  }

  private list(body: Record<string, unknown>): Answer {
    const { name, type, remoteConfig } = body;
    if (name !== undefined && typeof name !== 'string') {
      return badRequest('name must be a string');
    }
    if (type !== undefined && typeof type !== 'string') {
      return badRequest('type must be a string');
    }
    if (remoteConfig !== undefined && typeof remoteConfig !== 'boolean') {
      return badRequest('remoteConfig must be a boolean');
    }
    const now = Date.now();
    this.entries = this.entries.filter(
      e => e.goneAt === undefined || e.goneAt > now,
    );
    const listed = this.entries
      .filter(e => e.visibleAt <= now)
      .map(e => e.key)
      .filter(
        key =>
          (name === undefined || key.name === name) &&
          (type === undefined || key.type === type) &&
          (remoteConfig === undefined || key.remoteConfig === remoteConfig),
      );
    return { status: 200, body: listed.map(key => this.present(key)) };
  }

  private delete(body: Record<string, unknown>): Answer {
    const { name } = body;
    if (typeof name !== 'string' || !name) {
      return badRequest('name is required');
    }
    const entry = this.entries.find(
      e => e.goneAt === undefined && e.key.name === name,
    );
    if (!entry) {
      return {
        status: 404,
        body: { message: `ingestion key ${name} not found` },
      };
    }
    entry.goneAt = Date.now() + this.quirks.listLagMs;
    return { status: this.deleteStatus };
  }

  private newKey(
    fields: Omit<GroundcoverContractKey, 'id' | 'key' | 'createdBy'>,
  ): GroundcoverContractKey {
    const key = {
      id: randomUUID(),
      key: `gcik_${randomBytes(32).toString('hex')}`,
      createdBy: this.createdBy,
      ...fields,
    };
    this.issued.push(key.key);
    return key;
  }

  private present(key: GroundcoverContractKey) {
    return this.withCreationDate
      ? { ...key, creationDate: new Date().toISOString() }
      : key;
  }

  private takeFault(route: GroundcoverRoute): PendingFault | undefined {
    const fault = this.faults.find(f => !f.route || f.route === route);
    if (fault && --fault.remaining <= 0) {
      this.faults = this.faults.filter(f => f !== fault);
    }
    return fault;
  }

  private fail(req: IncomingMessage, res: ServerResponse, fault: PendingFault) {
    if (fault.kind === 'drop') {
      req.socket.destroy();
    } else if (fault.kind === 'status') {
      this.send(res, {
        status: fault.status,
        body: { message: fault.message ?? `injected ${fault.status}` },
      });
    }
    // A timeout fault answers nothing: stop() closes the connection if the client does not.
  }

  private send(res: ServerResponse, answer: Answer) {
    if (res.destroyed) {
      return;
    }
    if (answer.body === undefined) {
      res.writeHead(answer.status).end();
      return;
    }
    res
      .writeHead(answer.status, { 'Content-Type': 'application/json' })
      .end(JSON.stringify(answer.body));
  }

  private notifyWaiters() {
    this.waiters = this.waiters.filter(waiter => {
      if (this.counts[waiter.route] < waiter.count) {
        return true;
      }
      waiter.resolve();
      return false;
    });
  }
}

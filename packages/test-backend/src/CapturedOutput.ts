import { Server, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import {
  WinstonLogger,
  WinstonLoggerOptions,
} from '@backstage/backend-defaults/rootLogger';

type LogEntry = Record<string | symbol, unknown>;
type Transport = NonNullable<WinstonLoggerOptions['transports']>[number];

/** Where winston's formats leave the finished line (triple-beam's MESSAGE). */
const FORMATTED_LINE = Symbol.for('message');

/** Hands every entry the logger writes to `onEntry`, as a winston transport. */
class CaptureTransport extends Writable {
  constructor(private readonly onEntry: (entry: LogEntry) => void) {
    super({ objectMode: true });
  }

  // winston takes any object-mode stream with a two-argument log() as a transport.
  log(entry: LogEntry, next: () => void) {
    this.onEntry(entry);
    next();
  }

  _write(entry: LogEntry, _encoding: string, next: () => void) {
    this.log(entry, next);
  }
}

/**
 * Every string in `value` and what it holds, property names included, whether enumerable or not
 * (errors' messages, stacks and causes are not), and whether a line's format shows them or not.
 */
function stringsIn(value: unknown, seen = new Set<object>()): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) {
    return [];
  }
  seen.add(value);
  return Reflect.ownKeys(value).flatMap(field => [
    ...(typeof field === 'string' ? [field] : []),
    ...stringsIn((value as Record<string | symbol, unknown>)[field], seen),
  ]);
}

/** Keeps the body `res` sends and hands it to `onFinish` with the status. */
function captureBody(
  res: ServerResponse,
  onFinish: (status: number, body: string) => void,
) {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') {
      chunks.push(
        Buffer.from(
          chunk,
          typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
        ),
      );
    } else if (chunk instanceof Uint8Array) {
      chunks.push(Buffer.from(chunk));
    }
  };
  const { write, end } = res;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return (write as Function).call(res, chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return (end as Function).call(res, chunk, ...rest);
  }) as ServerResponse['end'];
  res.once('finish', () =>
    onFinish(res.statusCode, Buffer.concat(chunks).toString('utf8')),
  );
}

interface Output {
  kind:
    | 'log line'
    | 'audit record'
    | 'failed response'
    | 'MCP tool result'
    | 'scaffolder task output'
    | 'notification';
  /** As the operator or the caller gets it. */
  text: string;
  /** Everything it holds, whether its text shows it or not: what the checks search. */
  strings: string[];
}

/**
 * What an operator gets from a test backend, kept for secret checks: every entry of the real root
 * logger (Backstage's WinstonLogger at debug level, in this environment's format), which the real
 * auditor writes its records to, and the body of every failed response.
 */
export class CapturedOutput {
  private readonly outputs: Output[] = [];

  readonly rootLogger = WinstonLogger.create({
    meta: { service: 'backstage' },
    level: 'debug',
    transports: [
      new CaptureTransport(entry =>
        this.outputs.push({
          kind: entry.isAuditEvent === true ? 'audit record' : 'log line',
          text: String(entry[FORMATTED_LINE]),
          strings: stringsIn(entry),
        }),
      ) as unknown as Transport,
    ],
  });

  /** Each entry as the logger's format wrote it, audit records included. */
  get logLines(): string[] {
    return this.textsOf('log line', 'audit record');
  }

  get auditRecords(): string[] {
    return this.textsOf('audit record');
  }

  /** Status and body of every response with a status of 400 or more. */
  get failedResponses(): string[] {
    return this.textsOf('failed response');
  }

  /** The root logger and the auditor services for a test backend. */
  get factories() {
    return [
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => this.rootLogger,
      }),
      auditorServiceFactory,
    ];
  }

  /** Starts keeping the bodies of the failed responses `server` sends. */
  watchResponses(server: Server) {
    // Prepended, so that the body is captured before the app can write any of it.
    server.prependListener('request', (_req, res: ServerResponse) =>
      captureBody(res, (status, body) => {
        if (status >= 400) {
          const text = `${status} ${body}`;
          this.outputs.push({ kind: 'failed response', text, strings: [text] });
        }
      }),
    );
  }

  /**
   * Keeps what another surface handed out (an MCP tool result, a scaffolder task's log and
   * output, a notification), so that the secret check at the test backend's stop covers it.
   */
  keep(
    kind: Extract<
      Output['kind'],
      'MCP tool result' | 'scaffolder task output' | 'notification'
    >,
    value: unknown,
  ) {
    this.outputs.push({
      kind,
      text: typeof value === 'string' ? value : JSON.stringify(value),
      strings: stringsIn(value),
    });
  }

  /** Where any of `secrets` shows up: `secret #<index> in <kind>: <text>`, the secret masked. */
  placesOf(secrets: string[]): string[] {
    return secrets.flatMap((secret, index) =>
      this.outputs
        .filter(output => output.strings.some(s => s.includes(secret)))
        .map(({ kind, text }) =>
          `secret #${index} in ${kind}: ${text}`.split(secret).join('<secret>'),
        ),
    );
  }

  private textsOf(...kinds: Output['kind'][]): string[] {
    return this.outputs
      .filter(output => kinds.includes(output.kind))
      .map(output => output.text);
  }
}

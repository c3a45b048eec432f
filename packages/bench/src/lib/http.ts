import { Agent, request } from 'node:http';
import { nowMs } from './stats';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  /** Wall time from sending the request to the last byte of the answer. */
  ms: number;
}

/**
 * A JSON client over node's http with a keep-alive agent, for loopback only: it refuses any
 * other host so that a misconfigured bench cannot load anything but this machine.
 */
export class JsonClient {
  readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly timeoutMs: number;

  constructor(
    baseUrl: string,
    private readonly headers: Record<string, string> = {},
    options: { maxSockets?: number; timeoutMs?: number } = {},
  ) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1') {
      throw new Error(`the bench only talks to 127.0.0.1, not ${url.host}`);
    }
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 64,
    });
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = nowMs();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            accept: 'application/json',
            ...this.headers,
            ...extraHeaders,
            ...(payload !== undefined
              ? {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              ms: nowMs() - started,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path} timed out`)),
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like `call`, but anything other than `expected` is an error naming the answer. */
  async expect<T = any>(
    expected: number,
    method: string,
    path: string,
    body?: unknown,
    extraHeaders?: Record<string, string>,
  ): Promise<HttpResult<T>> {
    const result = await this.call<T>(method, path, body, extraHeaders);
    if (result.status !== expected) {
      throw new Error(
        `${method} ${path} answered ${
          result.status
        }, expected ${expected}: ${JSON.stringify(result.body)?.slice(0, 300)}`,
      );
    }
    return result;
  }

  close() {
    this.agent.destroy();
  }
}

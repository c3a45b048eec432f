import { ChildProcess, fork } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  BackendProcessOptions,
  BENCH_BACKEND_ENV,
  HeapStats,
  QueryCounts,
} from './backendOptions';
import { JsonClient } from './http';

/** A free TCP port on 127.0.0.1 (free when asked; the backend binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * What a backend process runs: the bundle of `buildBackend` with plain node (`built`), or the
 * TypeScript source through Backstage's node transform, as `yarn start` does.
 */
export interface BackendEntry {
  script: string;
  built: boolean;
}

/**
 * A backend process started from `backendProcess.ts` (built or not), with its resident memory read from
 * /proc: the kernel's peak (VmHWM, reset between phases through clear_refs) and, as a cross
 * check, the largest VmRSS sampled every 50 ms.
 */
export class BackendProcess {
  readonly api: JsonClient;
  private sampled = 0;
  private readonly sampler: NodeJS.Timeout;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly options: BackendProcessOptions,
    readonly logFile: string,
  ) {
    this.api = new JsonClient(
      `http://127.0.0.1:${options.port}`,
      { authorization: `Bearer ${options.token}` },
      { maxSockets: 128 },
    );
    this.sampler = setInterval(() => {
      try {
        this.sampled = Math.max(this.sampled, this.rss());
      } catch {
        // exited
      }
    }, 50);
    this.sampler.unref();
    child.once('exit', () => {
      this.exited = true;
    });
  }

  static async start(
    entry: BackendEntry,
    options: BackendProcessOptions,
    logFile: string,
    startTimeoutMs = 120_000,
  ): Promise<BackendProcess> {
    const log = openSync(logFile, 'a');
    const child = fork(entry.script, [], {
      execArgv: [
        // Built: plain node, without --enable-source-maps, which would make node parse the
        // source map of every package it loads, as an operator's backend does not.
        ...(entry.built
          ? []
          : [
              '--require',
              require.resolve('@backstage/cli/config/nodeTransform.cjs'),
            ]),
        // For profiling a phase: BENCH_CPU_PROF=<dir> writes a .cpuprofile per backend.
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),
        // Only so that heap() can measure the live heap after a full collection.
        '--expose-gc',
        // Extra node flags for experiments, e.g. BENCH_NODE_ARGS=--max-semi-space-size=64.
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        [BENCH_BACKEND_ENV]: JSON.stringify(options),
      },
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the backend did not start; see ${logFile}`));
      }, startTimeoutMs);
      // The node transform also talks over IPC (file watch notices): wait for ours.
      const onMessage = (message: unknown) => {
        if (message === 'ready') {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', code => {
        clearTimeout(timer);
        reject(
          new Error(`the backend exited with ${code} on start; see ${logFile}`),
        );
      });
    });
    child.removeAllListeners('exit');
    return new BackendProcess(child, options, logFile);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident memory now, in bytes. */
  rss(): number {
    return statusField(this.pid, 'VmRSS');
  }

  /**
   * The backend's JS heap: what is live after a full collection (which this triggers, so call
   * it after reading the peak RSS), and the largest heap size since the previous call.
   */
  heap(): Promise<HeapStats> {
    return this.ask('heap');
  }

  /** Statements the backend has sent to PostgreSQL so far, per database. */
  queries(): Promise<QueryCounts> {
    return this.ask('queries');
  }

  /** Sends `question` over IPC and waits for the answer under the same key. */
  private ask<T>(question: 'heap' | 'queries'): Promise<T> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const onMessage = (message: any) => {
        if (message?.[question]) {
          clearTimeout(timer);
          this.child.off('message', onMessage);
          resolve(message[question]);
        }
      };
      timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error(`the backend did not answer "${question}"`));
      }, 30_000);
      this.child.on('message', onMessage);
      this.child.send(question);
    });
  }

  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  /** Starts a new peak: both the kernel's high-water mark and the sampled one. */
  resetPeak(): void {
    writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    this.sampled = this.rss();
  }

  /** The peak resident memory since the last reset, in bytes. */
  peak(): number {
    this.sampled = Math.max(this.sampled, this.rss());
    const hwm = statusField(this.pid, 'VmHWM');
    return Number.isFinite(hwm) ? Math.max(hwm, this.sampled) : this.sampled;
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    this.api.close();
    if (this.exited) return;
    const exited = new Promise<void>(resolve =>
      this.child.once('exit', () => resolve()),
    );
    this.child.send('stop');
    // Writing a CPU profile of a long run at exit takes a while: it is worth waiting for.
    const timer = setTimeout(
      () => this.child.kill('SIGKILL'),
      process.env.BENCH_CPU_PROF ? 180_000 : 15_000,
    );
    await exited;
    clearTimeout(timer);
  }
}

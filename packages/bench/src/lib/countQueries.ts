import { AsyncLocalStorage } from 'node:async_hooks';
import { Server } from 'node:http';

/** The part of node-postgres' client this needs (pg ships no types, and the bench adds none). */
interface PgClientPrototype {
  database?: string;
  query(...args: unknown[]): unknown;
}

/**
 * Counts the statements this process sends to PostgreSQL while it handles HTTP requests, per
 * database, by wrapping node-postgres' `Client.query`: every knex query of every plugin ends
 * there as one round trip. A statement counts when it is issued in the asynchronous context of
 * a request the HTTP server received: an API request, or the catalog request the plugin makes
 * for it (the catalog answers in the same process). The backend's own background work (the
 * scheduler's polling, the catalog's processing loop, which at 20,000 entities never rests)
 * runs outside any request and is left out by construction. Returns a reader of the counts.
 */
export function countQueries(): () => Record<string, number> {
  const counts: Record<string, number> = {};
  const inRequest = new AsyncLocalStorage<true>();

  const emit = Server.prototype.emit;
  Server.prototype.emit = function emitInContext(
    this: Server,
    event: string | symbol,
    ...args: unknown[]
  ) {
    return event === 'request'
      ? inRequest.run(true, () => emit.call(this, event, ...args))
      : emit.call(this, event, ...args);
  };

  const prototype: PgClientPrototype = require('pg').Client.prototype;
  const query = prototype.query;
  prototype.query = function countedQuery(
    this: PgClientPrototype,
    ...args: unknown[]
  ) {
    if (inRequest.getStore()) {
      const database = this.database ?? '';
      counts[database] = (counts[database] ?? 0) + 1;
    }
    return query.apply(this, args);
  };
  return () => ({ ...counts });
}

/** The part of node-postgres' client this needs (pg ships no types, and the bench adds none). */
interface PgClientPrototype {
  database?: string;
  query(...args: unknown[]): unknown;
}

/**
 * Counts the statements this process sends to PostgreSQL, per database, by wrapping node-postgres'
 * `Client.query`: every knex query of every plugin (and of the scheduler) ends there as one round
 * trip, and nothing else does. Returns a reader of the counts so far.
 */
export function countQueries(): () => Record<string, number> {
  const counts: Record<string, number> = {};
  const prototype: PgClientPrototype = require('pg').Client.prototype;
  const query = prototype.query;
  prototype.query = function countedQuery(
    this: PgClientPrototype,
    ...args: unknown[]
  ) {
    const database = this.database ?? '';
    counts[database] = (counts[database] ?? 0) + 1;
    return query.apply(this, args);
  };
  return () => ({ ...counts });
}

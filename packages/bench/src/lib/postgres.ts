import knexFactory, { Knex } from 'knex';

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password?: string;
}

/** Reads a `postgresql://user:password@host:port` connection string. */
export function parsePgConnection(connectionString: string): PgConnection {
  const url = new URL(connectionString);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(
      `the bench only uses a local PostgreSQL, not ${url.hostname}`,
    );
  }
  return {
    host: '127.0.0.1',
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/**
 * Creates the databases of one bench run under a common prefix and drops them all at the end,
 * including any a crashed backend left connected.
 */
export class BenchDatabases {
  private readonly admin: Knex;
  private readonly created = new Set<string>();
  private counter = 0;

  constructor(readonly connection: PgConnection, readonly prefix: string) {
    this.admin = knexFactory({
      client: 'pg',
      connection: { ...connection, database: 'postgres' },
      pool: { min: 0, max: 1 },
    });
  }

  /** A fresh, empty database; its name is returned. */
  async create(label: string): Promise<string> {
    const name = `${this.prefix}${++this.counter}_${label}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 63);
    await this.admin.raw('CREATE DATABASE ??', [name]);
    this.created.add(name);
    return name;
  }

  /** A client of one of this run's databases, for counting rows and reading statistics. */
  client(name: string): Knex {
    return knexFactory({
      client: 'pg',
      connection: { ...this.connection, database: name },
      pool: { min: 0, max: 2 },
    });
  }

  /** Whether the server keeps planner statistics fresh by itself (`autovacuum`). */
  async autovacuum(): Promise<boolean> {
    const { rows } = await this.admin.raw('SHOW autovacuum');
    return rows[0]?.autovacuum === 'on';
  }

  /** Refreshes a database's planner statistics, as autovacuum does after bulk writes. */
  async analyze(name: string): Promise<void> {
    const db = this.client(name);
    try {
      await db.raw('ANALYZE');
    } finally {
      await db.destroy();
    }
  }

  async drop(name: string): Promise<void> {
    await this.admin.raw(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
      [name],
    );
    await this.admin.raw('DROP DATABASE IF EXISTS ??', [name]);
    this.created.delete(name);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.created]) {
      await this.drop(name).catch(() => undefined);
    }
    await this.admin.destroy();
  }
}

// The audit server's one door to SQL: a tiny client interface with two implementations,
// real PostgreSQL (pg Pool, when DATABASE_URL is set) and PGlite (embedded, WASM Postgres)
// for a single-machine install. Both speak the same SQL; values always go in as parameters.
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface Queryable {
  /**
   * statementName, for a hot statement with a fixed text: PostgreSQL parses it once per
   * connection and reuses it (for ingest's placement statement that saved ~1 ms of a batch's
   * serial database time). PGlite ignores it.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], statementName?: string): Promise<{ rows: T[] }>;
  /**
   * Runs `COPY … FROM STDIN` (sql) with data as its input, piece by piece as it comes; resolves
   * with the rows copied. If data throws, the COPY is cancelled (CopyFail) and that error thrown.
   * PostgreSQL transactions only: PGlite has no COPY FROM STDIN through this driver, so callers
   * keep an INSERT for when it is absent.
   */
  copyFrom?(sql: string, data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<number>;
}

export interface SqlClient extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn inside BEGIN … COMMIT; any throw rolls back and is re-thrown. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PgOptions {
  connectionString: string;
  /** Optional schema put first on the search_path of every connection (tests use a fresh one). */
  schema?: string;
  max?: number;
  onError?: (error: Error) => void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPgClient(options: PgOptions): SqlClient {
  if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) throw new Error(`invalid schema name: ${options.schema}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.onError?.(error));
  const wrap = (runner: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: unknown[] = [], statementName?: string) {
      const result = await runner.query(statementName ? { name: statementName, text: sql, values: params } : { text: sql, values: params });
      return { rows: result.rows as T[] };
    },
  });
  const copyInto =
    (client: pg.PoolClient) =>
    async (sql: string, data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<number> => {
      const stream = client.query(copyFrom(sql));
      // Resolves on 'finish', which comes once PostgreSQL has answered the end of the data (the
      // rows are in); an error of data destroys the stream, which sends CopyFail.
      await pipeline(Readable.from(data, { objectMode: false }), stream);
      return stream.rowCount;
    };
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn({ ...wrap(client), copyFrom: copyInto(client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped, not handed to the next caller.
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: unknown) => (rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))),
        );
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite in dataDir (created when missing); 'memory://' for a throw-away database. */
export async function createPgliteClient(dataDir: string): Promise<SqlClient> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  const wrap = (runner: { query: typeof db.query }): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await runner.query<T>(sql, params);
      return { rows: result.rows };
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    // PGlite serialises everything on its one connection; inside fn only tx may be used.
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

/** DATABASE_URL → PostgreSQL; otherwise PGlite in AUDIT_DATA_DIR (default ./audit-data). */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env, onError?: (error: Error) => void): Promise<SqlClient> {
  const url = env.DATABASE_URL?.trim();
  if (url) return createPgClient({ connectionString: url, ...(onError ? { onError } : {}) });
  return createPgliteClient(env.AUDIT_DATA_DIR?.trim() || './audit-data');
}

/** int8 and count(*) arrive as strings from pg and as numbers from PGlite. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  throw new TypeError(`expected a number, got ${typeof value}`);
}

export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return new Date(value).toISOString();
  throw new TypeError(`expected a time, got ${typeof value}`);
}

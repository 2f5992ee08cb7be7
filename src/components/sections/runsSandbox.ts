// The runs browser's SQL box runs whatever a reader types, so what it may do is decided by DuckDB,
// not by reading the text: every query runs in a database built for it from the loaded CSV files,
// with outside access and extensions switched off and the configuration locked, and that database
// is discarded as soon as the query's answer is in. docs/security.md explains why this holds.

/** The part of a duckdb-wasm AsyncDuckDB the sandbox drives. */
export interface SandboxEngine {
  open(config: { query?: Record<string, unknown> }): Promise<unknown>;
  registerFileBuffer(name: string, buffer: Uint8Array): Promise<unknown>;
  connect(): Promise<SandboxConnection>;
}

export interface SandboxConnection {
  query(sql: string): Promise<any>;
  close(): Promise<unknown>;
}

/**
 * Settings applied after the tables are loaded and before a reader's query: no file, URL or
 * attached on-disk database (enable_external_access), no extension fetched or loaded behind the
 * reader's back (autoinstall/autoload), and none of these can be changed back (lock_configuration,
 * which must come last).
 */
export const LOCKDOWN_SETTINGS: readonly string[] = [
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
  "SET enable_external_access = false",
  "SET lock_configuration = true",
];

/** Query options as Framework's DuckDBClient sets them, so results read as numbers and dates. */
const QUERY_CONFIG = { castBigIntToDouble: true, castTimestampToDate: true };

export interface RunsSandbox {
  /** Runs `sql` alone in a fresh locked database; rejects with DuckDB's error. */
  query(sql: string): Promise<any>;
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What the reader is told when a query changed its scratch copy of the tables. */
export const READ_ONLY_MESSAGE = "read-only: this query changed the tables of its own scratch copy, which was thrown away; " +
  "the runs are as loaded. The SQL box is for questions (SELECT, WITH, DESCRIBE).";

/**
 * The state of the catalog and of every loaded table's rows, as one string: what the database
 * holds after a query is compared with what it held when built, so that a write is reported
 * because the engine saw it happen, not because the text looked like one.
 */
async function catalogFingerprint(connection: SandboxConnection, names: readonly string[]): Promise<string> {
  const objects = await connection.query(
    "SELECT (SELECT string_agg(database_name || '.' || schema_name || '.' || table_name, ',' ORDER BY database_name, schema_name, table_name) FROM duckdb_tables()) AS tables, " +
    "(SELECT count(*) FROM duckdb_views() WHERE NOT internal) AS views",
  );
  const parts = [JSON.stringify(objects.toArray().map((row: any) => ({ ...row })))];
  for (const name of names) {
    const rows = await connection.query(`SELECT count(*) AS n, sum(hash(t))::VARCHAR AS h FROM ${quoteIdentifier(name)} AS t`);
    parts.push(JSON.stringify(rows.toArray().map((row: any) => ({ ...row }))));
  }
  return parts.join("|");
}
const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * A sandbox over `engine` whose tables are the CSV files in `tables` (name → file bytes, with a
 * header row). The engine belongs to the sandbox from now on: opening it again is what throws
 * every reader write away, so nothing else may keep tables in it.
 */
export async function createRunsSandbox(engine: SandboxEngine, tables: Readonly<Record<string, Uint8Array>>): Promise<RunsSandbox> {
  const files = Object.keys(tables).map((name) => ({ name, file: `sandbox-${name}.csv` }));
  for (const { name, file } of files) await engine.registerFileBuffer(file, tables[name]);

  async function freshDatabase(): Promise<void> {
    await engine.open({ query: QUERY_CONFIG });
    const setup = await engine.connect();
    try {
      for (const { name, file } of files) {
        await setup.query(`CREATE TABLE ${quoteIdentifier(name)} AS SELECT * FROM read_csv(${quoteString(file)}, header = true)`);
      }
      for (const statement of LOCKDOWN_SETTINGS) await setup.query(statement);
      built ??= await catalogFingerprint(setup, files.map((f) => f.name));
    } finally {
      await setup.close();
    }
  }

  // Queries run one at a time: opening the engine for one query must not pull the database from
  // under another that is still running. A query starts only on a database freshly built since the
  // last query ran (a failed rebuild is retried rather than skipped).
  let built: string | undefined;
  let fresh = false;
  let queue: Promise<unknown> = Promise.resolve();
  const ensureFresh = async () => {
    if (!fresh) await freshDatabase();
    fresh = true;
  };
  await ensureFresh();
  return {
    query(sql: string) {
      const run = queue.then(async () => {
        await ensureFresh();
        fresh = false;
        const connection = await engine.connect();
        try {
          const result = await connection.query(sql);
          const after = await catalogFingerprint(connection, files.map((f) => f.name)).catch(() => null);
          if (after !== built) throw new Error(READ_ONLY_MESSAGE);
          return result;
        } finally {
          await connection.close().catch(() => undefined);
          await ensureFresh().catch(() => undefined);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

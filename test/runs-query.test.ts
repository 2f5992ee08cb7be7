// The runs browser shows the engine's answer or its error (what a query may do is the sandbox's
// to enforce: runs-sandbox.test.ts), and gives the scatter's y labels room.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runQuery, yTickMargin } from "../src/components/sections/runsQuery.js";

test("every text reaches the engine, whose error is the outcome; an empty box asks for a query", async () => {
  const seen: string[] = [];
  const engine = { query: async (sql: string) => { seen.push(sql); throw new Error(`Permission Error: ${sql}`); } };
  for (const sql of ["DROP TABLE distillation", "SELECT '--' AS a; CREATE TABLE pwned AS SELECT 42 AS v"]) {
    const outcome = await runQuery(engine, sql);
    assert.ok(!outcome.ok && outcome.message === `Permission Error: ${sql}`);
  }
  assert.equal(seen.length, 2);
  const empty = await runQuery(engine, "  \n ");
  assert.ok(!empty.ok && /Type a query/.test(empty.message));
  assert.equal(seen.length, 2);
});

test("the y margin fits the longest tick label", () => {
  // 0.0016 to 0.0024: labels such as "0.0020" (6 characters) need more than Plot's 40 px.
  assert.ok(yTickMargin([0.0016, 0.0021, 0.0024]) >= 7 * 6);
  assert.equal(yTickMargin([1, 2, 3]), 40);
});

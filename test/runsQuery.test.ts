// The runs browser refuses what would change its tables, and gives the scatter's y labels room.

import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLE_QUERIES, readOnlyProblem, runQuery, yTickMargin } from "../src/components/sections/runsQuery.js";

test("statements that change the database are refused with a message; every example query passes", async () => {
  for (const example of EXAMPLE_QUERIES) assert.equal(readOnlyProblem(example.sql), null, example.name);
  for (const ok of ["select 1", "FROM supervised LIMIT 3", "with a as (select 1) select * from a;", "SELECT 'drop table x' AS \"set\"", "DESCRIBE supervised", "SELECT offset_x FROM t -- drop", "SELEC 1"]) {
    assert.equal(readOnlyProblem(ok), null, ok);
  }
  for (const bad of ["DROP TABLE distillation", "select 1; drop table supervised", "CREATE TABLE x AS SELECT 1", "delete from supervised",
    "INSERT INTO supervised VALUES (1)", "ATTACH 'x.db'", "SET threads = 1", "update supervised set L = 0", "COPY supervised TO 'x.csv'"]) {
    assert.match(readOnlyProblem(bad) ?? "", /read-only/, bad);
  }
  // Refused before the database sees it.
  let called = false;
  const outcome = await runQuery({ query: async () => { called = true; throw new Error("reached"); } }, "DROP TABLE distillation");
  assert.equal(called, false);
  assert.ok(!outcome.ok && /read-only: DROP statements are refused/.test(outcome.message));
});

test("the y margin fits the longest tick label", () => {
  // 0.0016 to 0.0024: labels such as "0.0020" (6 characters) need more than Plot's 40 px.
  assert.ok(yTickMargin([0.0016, 0.0021, 0.0024]) >= 7 * 6);
  assert.equal(yTickMargin([1, 2, 3]), 40);
});

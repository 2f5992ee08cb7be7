// Figures 33/34 reach far enough toward the floor L(N_S, inf) to show the rise above 1 the paper
// stresses (Appendix D.5): checked on the default students with Table 6, each ratio above 1 against
// an independent solve of the target-loss question.

import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6 } from "../src/core/laws/laws.js";
import { efficiencyRows } from "../src/components/state/efficiencyRows.js";
import { EFFICIENCY_DEFAULTS } from "../src/components/state/efficiencyDefaults.js";
import { parseStudentList } from "../src/components/state/students.js";
import { EFFICIENCY_TOKENS_PER_PARAMETER } from "../src/core/uncertainty/efficiencyBands.js";
import { targetLossCompute } from "../src/core/questions/targetLoss.js";

test("the right edge of Figures 33/34 reaches the rise above 1 near the floor", () => {
  assert.equal(EFFICIENCY_TOKENS_PER_PARAMETER[1], 20000);
  const parsed = parseStudentList(EFFICIENCY_DEFAULTS.students, { limit: 10 });
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  const { rows } = efficiencyRows(parsed.value, { coefficients: TABLE6 });
  let rising = 0;
  for (const student of parsed.value) {
    const best = rows.filter((r) => r.student === student.name && r.strategy === "best-case");
    // Each curve runs to within a decade of the axis's end.
    const most = Math.max(...best.map((r) => r.supervisedTokens / student.parameters));
    assert.ok(most > EFFICIENCY_TOKENS_PER_PARAMETER[1] / 10, `${student.name}: ${most}`);
    const above = best.filter((r) => r.computeRatio > 1);
    if (above.length) rising++;
    for (const r of above.slice(0, 2)) {
      // Independent: the least compute for that target by the best case, over supervised training's (Eq. 1 inverted).
      const distilled = targetLossCompute(student.parameters, r.targetLoss, "best-case", { coefficients: TABLE6 });
      const supervised = targetLossCompute(student.parameters, r.targetLoss, "supervised", { coefficients: TABLE6 });
      assert.ok(distilled.status === "optimal" && supervised.status === "optimal");
      if (distilled.status === "optimal" && supervised.status === "optimal") {
        assert.ok(distilled.compute / supervised.compute > 1 - 1e-3, `${student.name} L* = ${r.targetLoss}: ${distilled.compute / supervised.compute}`);
      }
    }
  }
  // 500M, 1B, 2B, 3B, 5B and 10B rise above 1; 300M and 30B stay below within the bounds.
  assert.equal(rising, 6);
});

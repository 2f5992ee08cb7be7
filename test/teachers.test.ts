import { test } from "node:test";
import assert from "node:assert/strict";
import { TABLE6, distilledLoss, supervisedLoss } from "../src/core/laws/laws.js";
import { forwardFlopsPerToken } from "../src/core/laws/flops.js";
import { rankTeachers } from "../src/core/allocation/teachers.js";

const teachers = [
  { name: "1.82B", parameters: 1.82e9, tokens: 20 * 1.82e9 },
  { name: "7.75B", parameters: 7.75e9, tokens: 20 * 7.75e9 },
  { name: "huge", parameters: 1e11, loss: 1.55 },
  { name: "546M", parameters: 5.46e8, tokens: 20 * 5.46e8 },
];

test("teachers are ranked by the student loss Eq. 8 predicts for them", () => {
  const ranking = rankTeachers(teachers, 5.46e8, { kind: "tokens", studentTokens: 2e10 });
  const expected = teachers
    .map((t) => ({ name: t.name, loss: distilledLoss(TABLE6, 5.46e8, 2e10, t.loss ?? supervisedLoss(TABLE6.supervised, t.parameters, t.tokens!)) }))
    .sort((a, b) => a.loss - b.loss);
  assert.deepEqual(ranking.teachers.map((t) => t.name), expected.map((e) => e.name));
  assert.ok(Math.abs(ranking.teachers[0].studentLoss - expected[0].loss) < 1e-12);
  assert.equal(ranking.teachers.find((t) => t.name === "huge")!.lossSource, "given");
  assert.match(ranking.recommendation, new RegExp(`^Use ${expected[0].name}`));
});

test("the strongest teacher is not always best: the capacity gap shows in the ranking", () => {
  const ranking = rankTeachers(teachers, 1.98e8, { kind: "tokens", studentTokens: 4e9 });
  const huge = ranking.teachers.find((t) => t.name === "huge")!;
  assert.ok(huge.rank > 1);
  assert.equal(huge.side, "too strong");
});

test("a compute budget that pays for logits charges the teacher's forward pass (Eq. 27)", () => {
  const C = 1e21;
  const ranking = rankTeachers(teachers, 5.46e8, { kind: "compute", budget: C, payLogits: true });
  for (const t of ranking.teachers) {
    const expectedTokens = C / (3 * forwardFlopsPerToken(5.46e8) + forwardFlopsPerToken(t.parameters));
    assert.ok(Math.abs(t.studentTokens / expectedTokens - 1) < 1e-12);
  }
  const free = rankTeachers(teachers, 5.46e8, { kind: "compute", budget: C, payLogits: false });
  for (const t of free.teachers) assert.ok(Math.abs(t.studentTokens * 3 * forwardFlopsPerToken(5.46e8) / C - 1) < 1e-12);
});

test("bad teachers are named in the error", () => {
  assert.throws(() => rankTeachers([{ name: "t1", parameters: 1e9 }], 1e8, { kind: "tokens", studentTokens: 1e9 }), /teacher "t1": give its loss/);
  assert.throws(() => rankTeachers([{ name: "t2", parameters: -5, loss: 2 }], 1e8, { kind: "tokens", studentTokens: 1e9 }), /teacher "t2": size/);
  assert.throws(() => rankTeachers([], 1e8, { kind: "tokens", studentTokens: 1e9 }), /at least one teacher/);
});

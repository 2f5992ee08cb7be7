// Partial amortisation (docs/spec.md section 9): a teacher shared by k students. Each student is charged
// 1/k of the teacher's pretraining; the logits are charged in full when every student runs the
// teacher itself, or 1/k when they are computed once on a shared D_S, stored and reused (the
// storage is then Appendix G.4's question, logitStorage.ts).

import type { ScenarioWeights, Strategy } from "../allocation/strategy.js";

export type LogitsSharing = "per-student" | "stored";

/** Eq. 9's weights for one of `k` students sharing a teacher. */
export function sharedTeacherWeights(k: number, logits: LogitsSharing = "per-student"): ScenarioWeights {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`teacher shared by k students: k must be a whole number >= 1, got ${k}`);
  return { deltaLogits: logits === "stored" ? 1 / k : 1, deltaPretraining: 1 / k };
}

export function sharedTeacherStrategy(k: number, logits: LogitsSharing = "per-student"): Strategy {
  return { kind: "weights", ...sharedTeacherWeights(k, logits) };
}

/** "Teacher shared by 4 students (logits stored, 1/4 each)". */
export function describeSharedTeacher(k: number, logits: LogitsSharing = "per-student"): string {
  return `Teacher shared by ${k} student${k === 1 ? "" : "s"} (pretraining 1/${k} each; logits ` +
    (logits === "stored" ? `stored and reused, 1/${k} each)` : "run by each student, in full)");
}

/** A label for any strategy: the named ones by their id, weights by their values. */
export function describeWeights(w: ScenarioWeights): string {
  const f = (x: number) => Number(x.toPrecision(4)).toString();
  return `delta_lgt = ${f(w.deltaLogits)}, delta_pre = ${f(w.deltaPretraining)}`;
}

// The line under a verdict on what the point fit's answer of its leading strategy needs of the laws
// beyond the fitted runs, written only when it adds to the verdict sentence: a verdict that the
// runs cannot decide already names the worst variable of every deciding row beyond its limit
// (verdict.ts). One wording for the target-loss and lifetime answers, on the pages and in the CLI.

import { describeFlags, plannedPointFlags, type PlannedPoint, type ValidityDomain } from "../domain/validity.js";
import { excess, worstExtrapolation, type EnsembleVerdict } from "./verdict.js";
import { lowerFirst } from "../export/sentenceCase.js";

/** A strategy's point answer as the note reads it (null: no answer with the point fit). */
export interface PointAnswerOf {
  id: string;
  label: string;
  point: PlannedPoint | null;
}

/**
 * For the verdict's winner (or its leading strategy when there is none): where its point answer
 * lies, or, when the verdict sentence names that strategy's worst variable, only the variables it
 * does not name; "" when the sentence already says everything, or the strategy has no point answer.
 */
export function pointExtrapolationNote(verdict: EnsembleVerdict, answers: readonly PointAnswerOf[], domain: ValidityDomain | null): string {
  const id = verdict.winner ?? verdict.shares[0]?.id;
  const answer = answers.find((a) => a.id === id);
  if (!answer?.point) return "";
  const where = `${answer.label} at the point fit's allocation`;
  const flags = plannedPointFlags(answer.point, domain);
  const worst = worstExtrapolation(flags);
  const named = verdict.kind === "extrapolates" && verdict.deciding.includes(answer.id) && worst !== null && excess(worst) > 1;
  if (!named) return `${where}: ${lowerFirst(describeFlags(flags, domain))}`;
  const unnamed = flags.filter((f) => f.variable !== worst.variable);
  return unnamed.length ? `${where} also extrapolates: ${unnamed.map((f) => f.message).join("; ")}.` : "";
}

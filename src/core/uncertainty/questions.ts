// The ensemble questions by name: a worker receives only { question name, input, prepared, member
// range } and keeps each coefficient set's ensemble once (docs/architecture.md, "Ensemble questions").

import { efficiencyQuestion } from "./efficiencyBands.js";
import { figure8Question } from "./figure8Bands.js";
import { lifetimeQuestion } from "./lifetimeUncertainty.js";
import { planQuestion } from "./planUncertainty.js";
import { targetLossQuestion } from "./targetLossUncertainty.js";

export const ENSEMBLE_QUESTIONS = {
  plan: planQuestion,
  "target-loss": targetLossQuestion,
  lifetime: lifetimeQuestion,
  efficiency: efficiencyQuestion,
  figure8: figure8Question,
} as const;

export type QuestionName = keyof typeof ENSEMBLE_QUESTIONS;

type QuestionOf<N extends QuestionName> = (typeof ENSEMBLE_QUESTIONS)[N];
export type QuestionInput<N extends QuestionName> = Parameters<QuestionOf<N>["solveMember"]>[1];
export type QuestionPrepared<N extends QuestionName> = Parameters<QuestionOf<N>["solveMember"]>[2];
export type QuestionOutcome<N extends QuestionName> = ReturnType<QuestionOf<N>["solveMember"]>;
export type QuestionSummary<N extends QuestionName> = ReturnType<QuestionOf<N>["summarise"]>;

/** The question registered under `name`; a clear error for an unknown name (a worker's message). */
export function ensembleQuestion<N extends QuestionName>(name: N): QuestionOf<N> {
  const question = ENSEMBLE_QUESTIONS[name];
  if (!question) throw new RangeError(`unknown ensemble question "${String(name)}": one of ${Object.keys(ENSEMBLE_QUESTIONS).join(", ")}`);
  return question;
}

// The compute scenarios of Table 2 and the total-FLOPs accounting of Eq. 9.

import { DEFAULT_FLOPS_MODEL, forwardFlopsFunction, type FlopsModel, type ForwardFlops } from "./flops.js";

export type ScenarioId = "best-case" | "teacher-inference" | "teacher-pretraining" | "teacher-pretraining-inference";

/** Eq. 9's scenario weights, each in [0, 1]: which share of the teacher's logits and pretraining is paid for. */
export interface ScenarioWeights {
  deltaLogits: number;
  deltaPretraining: number;
}

export interface Scenario {
  id: ScenarioId;
  label: string;
  /** 1 if the teacher's logits on the D_S distillation tokens are paid for. */
  deltaLogits: 0 | 1;
  /** 1 if the teacher's pretraining (3 F(N_T) D_T) is paid for. */
  deltaPretraining: 0 | 1;
  meaning: string;
}

export const SCENARIOS: readonly Scenario[] = Object.freeze([
  {
    id: "best-case", label: "Best case (fully amortised teacher)", deltaLogits: 0, deltaPretraining: 0,
    meaning: "The teacher costs nothing; choose the teacher loss L_T* that minimises the student loss.",
  },
  {
    id: "teacher-inference", label: "Teacher inference", deltaLogits: 1, deltaPretraining: 0,
    meaning: "The teacher exists (or serves users anyway); pay only for its logits on the D_S tokens.",
  },
  {
    id: "teacher-pretraining", label: "Teacher pretraining", deltaLogits: 0, deltaPretraining: 1,
    meaning: "The teacher must be trained; its logits are stored and reused across many students.",
  },
  {
    id: "teacher-pretraining-inference", label: "Teacher pretraining + inference", deltaLogits: 1, deltaPretraining: 1,
    meaning: "Train a teacher and pay its logits for one student: the worst case.",
  },
] satisfies Scenario[]);

export const SCENARIO_IDS: readonly ScenarioId[] = SCENARIOS.map((s) => s.id);

export function scenarioById(id: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new RangeError(`unknown scenario "${id}"; expected one of ${SCENARIO_IDS.join(", ")}`);
  return scenario;
}

export interface FlopsSplit {
  /** 3 F(N_S) D_S */
  studentTraining: number;
  /** delta_lgt F(N_T) D_S */
  teacherLogits: number;
  /** delta_pre 3 F(N_T) D_T */
  teacherPretraining: number;
  total: number;
}

export interface DistillationAllocation {
  studentParameters: number;
  studentTokens: number;
  teacherParameters: number;
  teacherTokens: number;
}

/**
 * Eq. 9: FLOPs = 3F(N_S) D_S + F(N_T) (delta_lgt D_S + delta_pre 3 D_T), term by term. `flops` is
 * a FLOPs model, or its F(N) when a solver has built it already.
 */
export function distillationFlops(
  allocation: DistillationAllocation,
  scenario: ScenarioWeights,
  flops: FlopsModel | ForwardFlops = DEFAULT_FLOPS_MODEL,
): FlopsSplit {
  const F = typeof flops === "function" ? flops : forwardFlopsFunction(flops);
  const studentTraining = 3 * F(allocation.studentParameters) * allocation.studentTokens;
  const teacherForward = F(allocation.teacherParameters);
  const teacherLogits = scenario.deltaLogits * teacherForward * allocation.studentTokens;
  const teacherPretraining = scenario.deltaPretraining * 3 * teacherForward * allocation.teacherTokens;
  return { studentTraining, teacherLogits, teacherPretraining, total: studentTraining + teacherLogits + teacherPretraining };
}

/** Supervised training of the student: 3 F(N) D, all of it student training. */
export function supervisedFlops(N: number, D: number, model: FlopsModel = DEFAULT_FLOPS_MODEL): FlopsSplit {
  const studentTraining = 3 * forwardFlopsFunction(model)(N) * D;
  return { studentTraining, teacherLogits: 0, teacherPretraining: 0, total: studentTraining };
}

// The supervised (Eq. 1) and distillation (Eq. 8) scaling laws of Busbridge et al. (2025),
// in direct form for prediction and in log-sum-exp form (Eq. 44, 49) with analytic gradients
// for fitting. Losses are cross-entropies in nats; N is non-embedding parameters, D tokens.

// The coefficients of each law, in the order of the fitting parameter vectors (Appendix F): the
// one list the coefficient types, the fitter's parameter vectors, the CLI's names and the run-count
// checks derive from.
export const SUPERVISED_COEFFICIENTS = ["A", "B", "E", "alpha", "beta", "gamma"] as const;
/** A, B, alpha, beta, gamma are the primed ones of the paper. */
export const DISTILLATION_COEFFICIENTS = ["A", "B", "alpha", "beta", "gamma", "c0", "c1", "f1", "d1"] as const;
/** Scale coefficients, fitted through their logarithms (so start grids are in log space). */
export const LOGARITHMIC_COEFFICIENTS = ["A", "B", "E", "d1"] as const;

export type SupervisedCoefficient = (typeof SUPERVISED_COEFFICIENTS)[number];
export type DistillationCoefficient = (typeof DISTILLATION_COEFFICIENTS)[number];

export type SupervisedCoefficients = Record<SupervisedCoefficient, number>;

/** Coefficients of Eq. 8; A, B, alpha, beta, gamma are the primed ones of the paper. */
export type DistillationCoefficients = Record<DistillationCoefficient, number>;

export interface CoefficientSet {
  id: string;
  label: string;
  supervised: SupervisedCoefficients;
  distillation: DistillationCoefficients;
  /** Where the coefficients come from, shown wherever they are used. */
  source: string;
}

/** Table 6 of the paper (point estimates). */
export const TABLE6: CoefficientSet = Object.freeze({
  id: "paper",
  label: "Paper (Table 6)",
  source: "Busbridge et al. (2025), Table 6: fitted on 73 supervised and 697 distillation runs.",
  supervised: Object.freeze({ E: 1.220, A: 3355, B: 18186, alpha: 0.408, beta: 0.431, gamma: 0.452 }),
  distillation: Object.freeze({
    A: 2243, B: 24181, alpha: 0.321, beta: 0.637, gamma: 0.764, c0: 2.549, c1: 522.6, f1: 0.090, d1: 1.315,
  }),
}) as CoefficientSet;

/** L(N, D) of Eq. 1. `D = Infinity` gives L(N, inf) of Eq. 35. */
export function supervisedLoss(c: SupervisedCoefficients, N: number, D: number): number {
  const dataTerm = D === Infinity ? 0 : c.B / Math.pow(D, c.beta);
  return c.E + Math.pow(c.A / Math.pow(N, c.alpha) + dataTerm, c.gamma);
}

/** L(N, D = inf) of Eq. 35: the loss of a model of size N trained on unlimited data. */
export function supervisedLossInfiniteData(c: SupervisedCoefficients, N: number): number {
  return c.E + Math.pow(c.A / Math.pow(N, c.alpha), c.gamma);
}

/**
 * L_S of Eq. 8 for a student of size NS distilled on DS tokens from a teacher of loss LT.
 * `supervisedStudentLoss` is L~_S = L(NS, DS) from the supervised law.
 */
export function distilledLossFromSupervised(
  d: DistillationCoefficients,
  NS: number,
  DS: number,
  LT: number,
  supervisedStudentLoss: number,
): number {
  const ratio = LT / (supervisedStudentLoss * d.d1);
  // (1 + ratio^(1/f1))^(-c1 f1) underflows gracefully to 0 for a weak teacher: L_S -> L_T.
  const switchTerm = Math.pow(1 + Math.pow(ratio, 1 / d.f1), -d.c1 * d.f1);
  const dataTerm = DS === Infinity ? 0 : d.B / Math.pow(DS, d.beta);
  const capacityTerm = Math.pow(d.A / Math.pow(NS, d.alpha) + dataTerm, d.gamma);
  return LT + Math.pow(LT, -d.c0) * switchTerm * capacityTerm;
}

/** L_S of Eq. 8 with L~_S computed from the supervised law. */
export function distilledLoss(
  coefficients: Pick<CoefficientSet, "supervised" | "distillation">,
  NS: number,
  DS: number,
  LT: number,
): number {
  const supervisedStudentLoss = supervisedLoss(coefficients.supervised, NS, DS);
  return distilledLossFromSupervised(coefficients.distillation, NS, DS, LT, supervisedStudentLoss);
}

/** The D at which a model of size N reaches loss L under Eq. 1 (Infinity if it never does). */
export function tokensForLoss(c: SupervisedCoefficients, N: number, L: number): number {
  const reducible = Math.pow(L - c.E, 1 / c.gamma) - c.A / Math.pow(N, c.alpha);
  return reducible > 0 ? Math.pow(c.B / reducible, 1 / c.beta) : Infinity;
}

/** The N at which a model trained on D tokens reaches loss L under Eq. 1 (Infinity if never). */
export function parametersForLoss(c: SupervisedCoefficients, D: number, L: number): number {
  const reducible = Math.pow(L - c.E, 1 / c.gamma) - c.B / Math.pow(D, c.beta);
  return reducible > 0 ? Math.pow(c.A / reducible, 1 / c.alpha) : Infinity;
}

/**
 * L(N, D) as a function of log D for a fixed N, with N's term computed once: for inner loops
 * (the optimiser evaluates it thousands of times per solve).
 */
export function supervisedLossWithSizeFixed(c: SupervisedCoefficients, N: number): (logD: number) => number {
  const modelTerm = c.A / Math.pow(N, c.alpha);
  const { E, B, beta, gamma } = c;
  return (logD) => E + Math.pow(modelTerm + B * Math.exp(-beta * logD), gamma);
}

/**
 * L_S(N_S, D_S, L_T) of Eq. 8 as a function of (log D_S, L_T) for a fixed student, with the
 * student's size terms computed once. Agrees with `distilledLoss` to rounding.
 */
export function distilledLossWithSizeFixed(
  coefficients: Pick<CoefficientSet, "supervised" | "distillation">,
  NS: number,
): (logDS: number, LT: number) => number {
  const { supervised: s, distillation: d } = coefficients;
  const supervisedModelTerm = s.A / Math.pow(NS, s.alpha);
  const distillationModelTerm = d.A / Math.pow(NS, d.alpha);
  const inverseF1 = 1 / d.f1;
  const switchExponent = -d.c1 * d.f1;
  return (logDS, LT) => {
    const supervisedStudentLoss = s.E + Math.pow(supervisedModelTerm + s.B * Math.exp(-s.beta * logDS), s.gamma);
    const switchTerm = Math.pow(1 + Math.pow(LT / (supervisedStudentLoss * d.d1), inverseF1), switchExponent);
    const capacityTerm = Math.pow(distillationModelTerm + d.B * Math.exp(-d.beta * logDS), d.gamma);
    return LT + Math.pow(LT, -d.c0) * switchTerm * capacityTerm;
  };
}

/**
 * L_S of Eq. 8 as a function of L_T alone, for a fixed student and fixed distillation tokens:
 * L~_S and the capacity term are computed once. When the teacher's pretraining is not paid for,
 * D_S does not depend on the teacher's tokens, and the optimiser's inner search needs only this.
 */
export function distilledLossWithStudentFixed(
  coefficients: Pick<CoefficientSet, "supervised" | "distillation">,
  NS: number,
  DS: number,
): (LT: number) => number {
  const { supervised: s, distillation: d } = coefficients;
  const switchScale = 1 / (supervisedLoss(s, NS, DS) * d.d1);
  const capacityTerm = Math.pow(d.A / Math.pow(NS, d.alpha) + (DS === Infinity ? 0 : d.B / Math.pow(DS, d.beta)), d.gamma);
  const inverseF1 = 1 / d.f1;
  const switchExponent = -d.c1 * d.f1;
  return (LT) => LT + Math.pow(LT, -d.c0) * Math.pow(1 + Math.pow(LT * switchScale, inverseF1), switchExponent) * capacityTerm;
}

// ---------------------------------------------------------------------------------------------
// Log forms for fitting. Parameter vectors use the paper's fitting parametrisation (Appendix F):
// scale coefficients enter through their logarithms so that the start grids are in log space.

type ParameterOf<C extends string> = C extends (typeof LOGARITHMIC_COEFFICIENTS)[number] ? `log${C}` : C;

/** Whether a coefficient enters the fit through its logarithm. */
export function isLogarithmic(name: string): boolean {
  return (LOGARITHMIC_COEFFICIENTS as readonly string[]).includes(name);
}

function parametersOf<C extends string>(names: readonly C[]): readonly ParameterOf<C>[] {
  return Object.freeze(names.map((name) => (isLogarithmic(name) ? `log${name}` : name) as ParameterOf<C>));
}

/** The fitting parameters: ["logA", "logB", "logE", "alpha", "beta", "gamma"]. */
export const SUPERVISED_PARAMETERS = parametersOf(SUPERVISED_COEFFICIENTS);
/** ["logA", "logB", "alpha", "beta", "gamma", "c0", "c1", "f1", "logd1"]. */
export const DISTILLATION_PARAMETERS = parametersOf(DISTILLATION_COEFFICIENTS);
export type SupervisedParameter = (typeof SUPERVISED_PARAMETERS)[number];
export type DistillationParameter = (typeof DISTILLATION_PARAMETERS)[number];

export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function supervisedToVector(c: SupervisedCoefficients): number[] {
  return [Math.log(c.A), Math.log(c.B), Math.log(c.E), c.alpha, c.beta, c.gamma];
}

export function supervisedFromVector(theta: ArrayLike<number>): SupervisedCoefficients {
  return {
    A: Math.exp(theta[0]), B: Math.exp(theta[1]), E: Math.exp(theta[2]),
    alpha: theta[3], beta: theta[4], gamma: theta[5],
  };
}

export function distillationToVector(c: DistillationCoefficients): number[] {
  return [Math.log(c.A), Math.log(c.B), c.alpha, c.beta, c.gamma, c.c0, c.c1, c.f1, Math.log(c.d1)];
}

export function distillationFromVector(theta: ArrayLike<number>): DistillationCoefficients {
  return {
    A: Math.exp(theta[0]), B: Math.exp(theta[1]), alpha: theta[2], beta: theta[3], gamma: theta[4],
    c0: theta[5], c1: theta[6], f1: theta[7], d1: Math.exp(theta[8]),
  };
}

/**
 * log L(N, D) of Eq. 44 at parameter vector theta (SUPERVISED_PARAMETERS order).
 * If `gradient` is given, it receives d log L / d theta. `logD = Infinity` means D = inf.
 */
export function logSupervisedLoss(
  theta: ArrayLike<number>,
  logN: number,
  logD: number,
  gradient?: Float64Array | number[],
): number {
  const [logA, logB, logE, alpha, beta, gamma] = [theta[0], theta[1], theta[2], theta[3], theta[4], theta[5]];
  const modelTerm = logA - alpha * logN;
  const dataTerm = logD === Infinity ? -Infinity : logB - beta * logD;
  const inner = logSumExp(modelTerm, dataTerm);
  const reducible = gamma * inner;
  const logL = logSumExp(logE, reducible);
  if (gradient) {
    const irreducibleShare = Math.exp(logE - logL);
    const reducibleShare = Math.exp(reducible - logL);
    const modelShare = Math.exp(modelTerm - inner);
    const dataShare = dataTerm === -Infinity ? 0 : Math.exp(dataTerm - inner);
    gradient[0] = reducibleShare * gamma * modelShare;
    gradient[1] = reducibleShare * gamma * dataShare;
    gradient[2] = irreducibleShare;
    gradient[3] = -reducibleShare * gamma * modelShare * logN;
    gradient[4] = dataShare === 0 ? 0 : -reducibleShare * gamma * dataShare * logD;
    gradient[5] = reducibleShare * inner;
  }
  return logL;
}

/**
 * log L_S of Eq. 49 at parameter vector theta (DISTILLATION_PARAMETERS order), given the teacher's
 * log loss and the student's supervised log loss log L~_S. `gradient` receives d log L_S / d theta.
 */
export function logDistilledLoss(
  theta: ArrayLike<number>,
  logNS: number,
  logDS: number,
  logLT: number,
  logSupervisedStudentLoss: number,
  gradient?: Float64Array | number[],
): number {
  const logA = theta[0], logB = theta[1], alpha = theta[2], beta = theta[3], gamma = theta[4];
  const c0 = theta[5], c1 = theta[6], f1 = theta[7], logd1 = theta[8];
  const x = (logLT - logSupervisedStudentLoss - logd1) / f1;
  const switchLog = softplus(x);
  const modelTerm = logA - alpha * logNS;
  const dataTerm = logDS === Infinity ? -Infinity : logB - beta * logDS;
  const inner = logSumExp(modelTerm, dataTerm);
  const gap = -c0 * logLT - c1 * f1 * switchLog + gamma * inner;
  const logLS = logSumExp(logLT, gap);
  if (gradient) {
    const gapShare = Math.exp(gap - logLS);
    const modelShare = Math.exp(modelTerm - inner);
    const dataShare = dataTerm === -Infinity ? 0 : Math.exp(dataTerm - inner);
    const s = sigmoid(x);
    gradient[0] = gapShare * gamma * modelShare;
    gradient[1] = gapShare * gamma * dataShare;
    gradient[2] = -gapShare * gamma * modelShare * logNS;
    gradient[3] = dataShare === 0 ? 0 : -gapShare * gamma * dataShare * logDS;
    gradient[4] = gapShare * inner;
    gradient[5] = -gapShare * logLT;
    gradient[6] = -gapShare * f1 * switchLog;
    // d(f1 * softplus(x))/d f1 = softplus(x) - x * sigmoid(x), since dx/df1 = -x / f1.
    gradient[7] = -gapShare * c1 * (switchLog - x * s);
    gradient[8] = gapShare * c1 * s;
  }
  return logLS;
}

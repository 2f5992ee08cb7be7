// Target loss (docs/spec.md section 9, Appendix D.5): the least total compute with which a strategy
// brings a student of fixed size to a target cross-entropy L*, and its allocation.
//
// C_min(N_S, L*) = min { C : L_S*(N_S, C) <= L* } is solved as the dual problem: minimise Eq. 9's
// FLOPs subject to L_S <= L*. For a teacher loss L_T the student tokens D_S(L_T) that reach L*
// follow from Eq. 8 (decreasing in D_S, so one bisection), and among the teachers of loss L_T
// the cheapest one for these weights is a one-dimensional search along the iso-loss curve of
// Eq. 1 (D_T in closed form). What remains is a bounded search over log L_T. The dual is some
// ten times cheaper than bisecting the budget over compute-optimal solves, which the lifetime
// search (lifetime.ts) needs; the tests check it against solveStrategy at the returned compute.

import { distilledLossWithSizeFixed, parametersForLoss, supervisedLoss, tokensForLoss } from "../laws/laws.js";
import {
  boundFlag, optimalTeacherLossWith, resolveBox, resolveSolverContext, solverEntry, type BoundFlag, type SolverContext,
} from "../allocation/optimizer.js";
import { BOX_NAME, teacherSizesInBox } from "../allocation/feasibility.js";
import { minimizeScalar } from "../numerics/scalar.js";
import { formatExponent, formatQuantity } from "../inputs/units.js";
import type { FlopsSplit } from "../laws/scenarios.js";
import { strategyWeights, type ScenarioWeights, type Strategy, type StrategyOptions, type StrategySearch } from "../allocation/strategy.js";

export interface TargetLossReached {
  status: "optimal";
  strategy: Strategy;
  weights: ScenarioWeights;
  studentParameters: number;
  targetLoss: number;
  /** C_min: the least total compute (Eq. 9 terms) reaching the target. */
  compute: number;
  flops: FlopsSplit;
  studentTokens: number;
  /** Null for supervised training. */
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
  /** L_S at the allocation: the target, or lower when D_S sits on its lower bound. */
  studentLoss: number;
  /** Eq. 34's token accounting: D_S + delta_pre D_T. */
  dataTokens: number;
  bounds: { studentTokens: BoundFlag; teacherParameters: BoundFlag; teacherTokens: BoundFlag };
  /** False when the teacher costs nothing (best case): only L_T is determined, the teacher shown is the cheapest. */
  teacherDetermined: boolean;
  converged: boolean;
  message: string;
  evaluations: number;
}

export interface TargetLossUnreachable {
  status: "unreachable";
  strategy: Strategy;
  weights: ScenarioWeights;
  studentParameters: number;
  targetLoss: number;
  /**
   * The lowest loss the strategy reaches with D_S, N_T, D_T in the bounds (and options.box): every
   * target at or above it is reachable. Null when, with options.box, no allocation is inside at all.
   */
  floor: number | null;
  message: string;
}

export type TargetLossResult = TargetLossReached | TargetLossUnreachable;

/** Tolerance on log D_S of the bisection: 1e-13 keeps the reached loss within about 1e-13 nats of the target. */
const LOG_TOKENS_TOLERANCE = 1e-13;

/**
 * The lowest loss of a strategy for a student within the context's bounds and box (D or D_S at the
 * upper bound, the best teacher).
 */
export function strategyFloor(context: SolverContext, studentParameters: number, strategy: Strategy, search: StrategySearch = {}): number {
  const box = resolveBox(studentParameters, strategy !== "supervised", context);
  const most = box.studentTokens[1];
  if (strategy === "supervised") return supervisedLoss(context.coefficients.supervised, studentParameters, most);
  return optimalTeacherLossWith(context, studentParameters, most, { ...search, scanPoints: 24, teacherLossRange: teacherLossesOf(context, strategy, studentParameters) ?? undefined }).studentLoss;
}

/**
 * The teacher losses a distillation strategy may use: those of the teachers within the bounds, or
 * with a box those inside it (the best case, whose teacher is one of many, only holds the
 * loss to the box's range). Null when none.
 */
function teacherLossesOf(context: SolverContext, strategy: Strategy, studentParameters: number): [number, number] | null {
  const { coefficients: { supervised }, bounds: [lo, hi] } = context;
  const box = resolveBox(studentParameters, true, context);
  const { deltaLogits, deltaPretraining } = strategyWeights(strategy);
  const free = deltaLogits === 0 && deltaPretraining === 0;
  const [nMin, nMax] = free ? [lo, hi] : box.teacherParameters;
  const [dMin, dMax] = free ? [lo, hi] : box.teacherTokens;
  let range: [number, number] = [supervisedLoss(supervised, nMax, dMax), supervisedLoss(supervised, nMin, dMin)];
  if (box.teacherLoss) range = [Math.max(range[0], box.teacherLoss[0]), Math.min(range[1], box.teacherLoss[1])];
  if (!free && box.teacherLoss && !(teacherSizesInBox(box, supervised)[0] <= teacherSizesInBox(box, supervised)[1])) return null;
  return range[0] <= range[1] ? range : null;
}

export interface TargetLossSearch extends StrategySearch {
  /**
   * Least student tokens per parameter, D_S/N_S (default 0: only the bounds). The lifetime search
   * sets the smallest fitted one (lifetimeTokensFloor): without it, the laws' extrapolation to huge students distilled on a few tokens per
   * thousand parameters makes a second, spurious optimum.
   */
  minStudentTokensPerParameter?: number;
}

export interface TargetLossOptions extends StrategyOptions, TargetLossSearch {}

/**
 * The least compute, and its allocation, with which `strategy` brings a student of
 * `studentParameters` to `targetLoss`: `(studentParameters, targetLoss, strategy, options?: TargetLossOptions)`.
 */
export const targetLossCompute = solverEntry(targetLossComputeWith, 3);

/** targetLossCompute in a resolved context (the lifetime search's, an ensemble member's). */
export function targetLossComputeWith(
  context: SolverContext,
  studentParameters: number,
  targetLoss: number,
  strategy: Strategy,
  search: TargetLossSearch = {},
): TargetLossResult {
  if (!(Number.isFinite(studentParameters) && studentParameters > 0)) {
    throw new RangeError(`student parameters must be a positive finite number, got ${studentParameters}`);
  }
  if (!(Number.isFinite(targetLoss) && targetLoss > 0)) throw new RangeError(`target loss must be a positive finite number, got ${targetLoss}`);
  const weights = strategyWeights(strategy);
  for (const [name, value] of Object.entries(weights)) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${value}`);
  }
  const { coefficients, F, bounds: [lo, hi] } = context;
  const { supervised } = coefficients;
  const NS = studentParameters;
  const studentCost = 3 * F(NS);
  // Without a box, [dsLo, dsHi] is the bounds' [lo, hi].
  const box = resolveBox(NS, strategy !== "supervised", context);
  const [dsLo, dsHi] = box.studentTokens;
  const fewestTokens = Math.max(dsLo, (search.minStudentTokensPerParameter ?? 0) * NS);
  const base = { strategy, weights, studentParameters: NS, targetLoss };
  const where = context.box ? `inside the ${BOX_NAME}` : "within the bounds";
  const unreachable = (floor: number): TargetLossUnreachable => ({
    ...base, status: "unreachable", floor,
    message: `target ${targetLoss.toFixed(4)} nats is below the lowest loss this strategy reaches ${where} ` +
      `(${floor.toFixed(4)} nats with D_S = ${formatExponent(dsHi)})`,
  });
  const teacherLosses = strategy === "supervised" ? null : teacherLossesOf(context, strategy, NS);
  if (!box.studentInside || !(fewestTokens <= dsHi * (1 + 1e-12)) || (strategy !== "supervised" && teacherLosses === null)) {
    return {
      ...base, status: "unreachable", floor: null,
      message: `no allocation of this strategy for a ${formatQuantity(NS)} student is ${where}` +
        (box.studentInside ? "" : ` (the student's size is outside it)`),
    };
  }

  if (strategy === "supervised") {
    const D = Math.max(fewestTokens, tokensForLoss(supervised, NS, targetLoss));
    if (!(D <= dsHi)) return unreachable(strategyFloor(context, NS, strategy, search));
    const compute = studentCost * D;
    return {
      ...base, status: "optimal", compute,
      flops: { studentTraining: compute, teacherLogits: 0, teacherPretraining: 0, total: compute },
      studentTokens: D, teacherParameters: null, teacherTokens: null, teacherLoss: null,
      studentLoss: supervisedLoss(supervised, NS, D), dataTokens: D,
      bounds: { studentTokens: context.box ? boundFlag(D, dsLo, dsHi) : null, teacherParameters: null, teacherTokens: null },
      teacherDetermined: false, converged: true, message: "closed form (Eq. 1 inverted for D)", evaluations: 0,
    };
  }

  const { deltaLogits: dl, deltaPretraining: dp } = weights;
  const free = dl === 0 && dp === 0;
  // The teacher box: the best case's teacher is one of many, held only to the bounds.
  const [ntLo, ntHi] = free ? [lo, hi] : box.teacherParameters;
  const [dtLo, dtHi] = free ? [lo, hi] : box.teacherTokens;
  const logNtLo = Math.log(ntLo), logHi = Math.log(dsHi), logNtHi = Math.log(ntHi);
  // The least D_S the student may have (the bounds, or a least number of tokens per parameter).
  const logFewest = Math.log(fewestTokens);
  const lossAt = distilledLossWithSizeFixed(coefficients, NS);
  let evaluations = 0;

  // log D_S reaching the target with a teacher of loss LT; Infinity when even D_S = hi does not.
  const requiredLogTokens = (LT: number): number => {
    evaluations++;
    if (lossAt(logHi, LT) > targetLoss) return Infinity;
    const ga = lossAt(logFewest, LT) - targetLoss;
    if (ga <= 0) return logFewest;
    // Illinois (regula falsi with halving of the stale end): L_S is smooth and decreasing in
    // log D_S, so it converges in some ten evaluations where bisection takes fifty. The result is
    // the bracket's end on the reaching side, so the loss there never exceeds the target.
    let a = logFewest, fa = ga, b = logHi, fb = lossAt(logHi, LT) - targetLoss, side = 0;
    for (let i = 0; i < 100 && b - a > LOG_TOKENS_TOLERANCE; i++) {
      let m = (a * fb - b * fa) / (fb - fa);
      if (!(m > a && m < b)) m = 0.5 * (a + b);
      const fm = lossAt(m, LT) - targetLoss;
      evaluations++;
      if (fm <= 0) {
        b = m; fb = fm;
        if (side === -1) fa /= 2;
        side = -1;
        if (fm === 0) break;
      } else {
        a = m; fa = fm;
        if (side === 1) fb /= 2;
        side = 1;
      }
      // Both ends within rounding of the target: b reaches it, and no nearer point would differ.
      if (fa - fb < 1e-15) break;
    }
    return b;
  };

  // The teachers of loss LT within the box: log N_T from where D_T = dtHi to where D_T = dtLo.
  const teacherRange = (LT: number): [number, number] => {
    const logNmax = Math.min(logNtHi, Math.log(parametersForLoss(supervised, dtLo, LT)));
    let logNmin = Math.max(logNtLo, Math.log(parametersForLoss(supervised, dtHi, LT)));
    if (logNmin > logNmax && logNmin - logNmax < 1e-9) logNmin = logNmax;
    return [logNmin, logNmax];
  };
  const teacherTokens = (NT: number, LT: number) => Math.min(dtHi, Math.max(dtLo, tokensForLoss(supervised, NT, LT)));

  // The cheapest teacher of loss LT for these weights, given D_S: minimises F(N_T)(dl D_S + 3 dp D_T).
  // Without teacher costs, the supervised compute-optimal teacher (as the primal's best case reports).
  const cheapestTeacher = (LT: number, DS: number): { logNT: number; cost: number } => {
    const [a, b] = teacherRange(LT);
    if (!(a <= b)) return { logNT: NaN, cost: Infinity };
    const costAt = (logNT: number) => {
      const NT = Math.exp(logNT);
      const DT = teacherTokens(NT, LT);
      return dl === 0 && dp === 0 ? F(NT) * DT : F(NT) * (dl * DS + 3 * dp * DT);
    };
    // Logits only: the cost grows with N_T, so the smallest teacher reaching LT (D_T = hi).
    if (dp === 0 && dl > 0) return { logNT: a, cost: costAt(a) };
    const r = minimizeScalar(costAt, a, b, { scanPoints: 6, xatol: 1e-10 });
    evaluations += r.evaluations;
    return { logNT: r.x, cost: dl === 0 && dp === 0 ? 0 : r.fun };
  };

  const totalAt = (logLT: number): number => {
    const LT = Math.exp(logLT);
    const logDS = requiredLogTokens(LT);
    if (!Number.isFinite(logDS)) return Infinity;
    const DS = Math.exp(logDS);
    const teacher = cheapestTeacher(LT, DS);
    return studentCost * DS + teacher.cost;
  };

  // The teacher losses with which D_S <= hi reaches the target form an interval around the
  // floor's L_T (L_S at D_S = hi is U-shaped in L_T); near the floor it is narrow, so it is
  // found by bisection on either side rather than left to the scan.
  const [LTmin, LTmax] = teacherLosses!;
  const floor = optimalTeacherLossWith(context, NS, dsHi, { ...search, scanPoints: 24, teacherLossRange: teacherLosses! });
  if (floor.studentLoss > targetLoss) return unreachable(floor.studentLoss);
  const logFloorLT = Math.log(floor.teacherLoss);
  const reaches = (logLT: number) => lossAt(logHi, Math.exp(logLT)) <= targetLoss;
  const edge = (inside: number, outside: number) => {
    if (reaches(outside)) return outside;
    for (let i = 0; i < 100 && Math.abs(outside - inside) > 1e-13; i++) {
      const m = 0.5 * (inside + outside);
      if (reaches(m)) inside = m;
      else outside = m;
    }
    return inside;
  };
  const logLTa = edge(logFloorLT, Math.log(LTmin)), logLTb = edge(logFloorLT, Math.log(LTmax));
  const outer = minimizeScalar(totalAt, logLTa, logLTb, { scanPoints: 16, xatol: 1e-11 });
  if (!Number.isFinite(outer.fun)) return unreachable(floor.studentLoss);
  let logLT = outer.x;
  // On a floor of D_S the total is the teacher's cost alone over the teacher losses reaching the
  // target with the fewest tokens, and its minimum is often where that range ends: a kink, which
  // Brent locates only to some 1e-8 of the total, landing on either side of it (enough to mislead
  // a search over N_S above it). Each end of the range, found by bisection from the best teacher
  // for the fewest tokens, competes with Brent's answer.
  if (requiredLogTokens(Math.exp(logLT)) - logFewest < 1e-6) {
    const bestTeacher = optimalTeacherLossWith(context, NS, Math.exp(logFewest), { ...search, scanPoints: 24 });
    const inside = Math.log(bestTeacher.teacherLoss);
    if (bestTeacher.studentLoss <= targetLoss && inside >= logLTa && inside <= logLTb) {
      const reachesWithFewest = (x: number) => lossAt(logFewest, Math.exp(x)) <= targetLoss;
      const end = (outside: number) => {
        if (reachesWithFewest(outside)) return outside;
        let a = inside;
        for (let i = 0; i < 200 && Math.abs(outside - a) > 1e-15; i++) {
          const m = 0.5 * (a + outside);
          if (reachesWithFewest(m)) a = m;
          else outside = m;
        }
        return a;
      };
      let best = outer.fun;
      for (const x of [end(logLTa), end(logLTb)]) {
        const total = totalAt(x);
        if (total < best) { best = total; logLT = x; }
      }
    }
  }

  const LT = Math.exp(logLT);
  const DS = Math.exp(requiredLogTokens(LT));
  const teacher = cheapestTeacher(LT, DS);
  const NT = Math.exp(teacher.logNT);
  const DT = teacherTokens(NT, LT);
  const FT = F(NT);
  const flops = {
    studentTraining: studentCost * DS,
    teacherLogits: dl * FT * DS,
    teacherPretraining: dp * 3 * FT * DT,
    total: 0,
  };
  flops.total = flops.studentTraining + flops.teacherLogits + flops.teacherPretraining;
  return {
    ...base, status: "optimal", compute: flops.total, flops,
    studentTokens: DS, teacherParameters: NT, teacherTokens: DT, teacherLoss: supervisedLoss(supervised, NT, DT),
    studentLoss: lossAt(Math.log(DS), LT), dataTokens: DS + dp * DT,
    bounds: { studentTokens: boundFlag(DS, dsLo, dsHi), teacherParameters: boundFlag(NT, ntLo, ntHi), teacherTokens: boundFlag(DT, dtLo, dtHi) },
    teacherDetermined: !(dl === 0 && dp === 0),
    converged: outer.converged,
    message: outer.converged ? "bounded searches over L_T and N_T converged" : outer.message,
    evaluations: evaluations + outer.evaluations,
  };
}

/** Figure 33 and 34's ratios of one strategy against supervised training at the same student and target. */
export interface EfficiencyRatios {
  /** C_min(strategy) / C_min(supervised). */
  computeRatio: number;
  /** (D_S + delta_pre D_T) / D_supervised (Eq. 34). */
  dataRatio: number;
}

export function efficiencyRatios(
  distilled: TargetLossResult,
  supervised: TargetLossResult,
): EfficiencyRatios | null {
  if (distilled.status !== "optimal" || supervised.status !== "optimal") return null;
  return { computeRatio: distilled.compute / supervised.compute, dataRatio: distilled.dataTokens / supervised.dataTokens };
}

/** A point of Figures 33/34 drawn from a compute-optimal solution: the target is the loss it reaches. */
export interface EfficiencyPoint {
  targetLoss: number;
  compute: number;
  dataTokens: number;
  supervisedCompute: number;
  supervisedTokens: number;
  computeRatio: number;
  dataRatio: number;
  /** The allocation that reaches the target, for its validity flags (validity.ts plannedPointFlags). */
  studentParameters: number;
  studentTokens: number;
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
  teacherDetermined: boolean;
}

/** What efficiencyCurve reads of a compute-optimal solution (strategy.ts's OptimalStrategy). */
export interface EfficiencySolution {
  budget: number;
  studentLoss: number;
  studentTokens: number;
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
  teacherDetermined: boolean;
  weights: ScenarioWeights;
}

/**
 * Figures 33/34 parametrically: each compute-optimal solution (budget C, loss L_S*(C)) is a point
 * (L* = L_S*(C), C_min = C) when L_S* falls with C; a solution that does not improve on a cheaper
 * one is dropped (its loss is reached for less). Supervised compute and tokens in closed form.
 * `solutions` must be sorted by increasing budget.
 */
export function efficiencyCurve(
  studentParameters: number,
  solutions: readonly EfficiencySolution[],
  options: StrategyOptions = {},
): EfficiencyPoint[] {
  const { coefficients: { supervised }, F } = resolveSolverContext(options);
  const studentCost = 3 * F(studentParameters);
  const points: EfficiencyPoint[] = [];
  let lowest = Infinity;
  for (const s of solutions) {
    if (!(s.studentLoss < lowest)) continue;
    lowest = s.studentLoss;
    const supervisedTokens = tokensForLoss(supervised, studentParameters, s.studentLoss);
    if (!Number.isFinite(supervisedTokens)) continue;
    const dataTokens = s.studentTokens + s.weights.deltaPretraining * (s.teacherTokens ?? 0);
    const supervisedCompute = studentCost * supervisedTokens;
    points.push({
      targetLoss: s.studentLoss, compute: s.budget, dataTokens, supervisedCompute, supervisedTokens,
      computeRatio: s.budget / supervisedCompute, dataRatio: dataTokens / supervisedTokens,
      studentParameters, studentTokens: s.studentTokens, teacherParameters: s.teacherParameters, teacherTokens: s.teacherTokens,
      teacherLoss: s.teacherLoss, teacherDetermined: s.teacherDetermined,
    });
  }
  return points;
}


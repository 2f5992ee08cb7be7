// The within-domain plan (docs/spec.md section 10, docs/within-domain.md): the planner's, the
// target-loss and the lifetime questions answered again with every variable a strategy needs held
// inside the coefficient set's validity domain widened by a factor F >= 1 (lo/F <= v <= hi F),
// beside the unconstrained answer and with what staying inside costs. The solvers take the
// widened domain as their `box` option (ModelOptions.box), so one solver answers both.

import { resolveSolverContext, type StrategyBox } from "../allocation/optimizer.js";
import { solveStrategy, strategyLabel, type Strategy, type StrategyOptions, type StrategyResult } from "../allocation/strategy.js";
import { strategyFloor, targetLossCompute, type TargetLossOptions, type TargetLossResult } from "../questions/targetLoss.js";
import { minimizeScalar } from "../numerics/scalar.js";
import {
  LIFETIME_MIN_TOKENS_PER_PARAMETER, boxWithTokensFloor, lifetimeAnswer, lifetimeBudgetRange, studentRangeInBox,
  type LifetimeAnswer, type LifetimeOptions, type LifetimeQuestion, type LifetimeStrategy,
} from "../questions/lifetime.js";
import type { BudgetRange } from "../allocation/feasibility.js";
import type { PlannedPoint, Range, ValidityDomain } from "./validity.js";
import { formatExponent } from "../inputs/units.js";
import { upperFirst } from "../export/sentenceCase.js";

/** The factor of the plain within-domain plan: the fitted runs' own box. */
export const DEFAULT_WIDENING = 1;

/** A widening factor must be a finite number >= 1; anything else is a bad argument (RangeError). */
export function assertWidening(factor: number): void {
  if (!(Number.isFinite(factor) && factor >= 1)) throw new RangeError(`within-domain factor must be a finite number >= 1, got ${factor}`);
}

/**
 * The box of the within-domain plan: each range of the domain widened to [min/F, max F].
 * Supervised training is held to the supervised runs' N, D and D/N. Distillation is held to the
 * distillation runs' N_S, D_S, D_S/N_S, N_T, D_T and L_T; a domain without distillation runs
 * holds student and teacher to the supervised box instead (as planValidityFlags checks them).
 */
export function withinDomainBox(domain: ValidityDomain, factor = DEFAULT_WIDENING): StrategyBox {
  assertWidening(factor);
  const widen = (r: Range): Range => ({ min: r.min / factor, max: r.max * factor });
  const s = domain.supervised;
  const d = domain.distillation;
  return {
    supervised: { studentParameters: widen(s.parameters), studentTokens: widen(s.tokens), studentTokensPerParameter: widen(s.tokensPerParameter) },
    distillation: d
      ? {
        studentParameters: widen(d.studentParameters), studentTokens: widen(d.studentTokens),
        studentTokensPerParameter: widen(d.studentTokensPerParameter), teacherParameters: widen(d.teacherParameters),
        teacherTokens: widen(d.teacherTokens), teacherLoss: widen(d.teacherLoss),
      }
      : { studentParameters: widen(s.parameters), studentTokens: widen(s.tokens), teacherParameters: widen(s.parameters), teacherTokens: widen(s.tokens) },
  };
}

/** One strategy answered twice: unconstrained (`free`) and inside the widened domain (`inside`). */
export interface WithinDomainPair<Result> {
  id: string;
  label: string;
  strategy: Strategy;
  free: Result;
  inside: Result;
  /** The variables of the inside answer that sit on an edge of the box ("D_S/N_S at its lower edge"): what staying inside binds. */
  edges: string[];
}

/** The allocation fields the box constrains (a plan, target-loss or lifetime allocation). */
type Allocated = PlannedPoint & { strategy: Strategy };

/** Which variables of an allocation sit within 1e-6 (relative) of an edge of the box: "D_S/N_S at its lower edge". */
export function boxEdges(a: Allocated, box: StrategyBox): string[] {
  const supervised = a.strategy === "supervised";
  const b = supervised ? box.supervised : box.distillation;
  const checks: [string, number | null, Range | undefined][] = [
    [supervised ? "N" : "N_S", a.studentParameters, b.studentParameters],
    [supervised ? "D" : "D_S", a.studentTokens, b.studentTokens],
    [supervised ? "D/N" : "D_S/N_S", a.studentTokens / a.studentParameters, b.studentTokensPerParameter],
    ...(a.teacherDetermined ? [["N_T", a.teacherParameters, b.teacherParameters], ["D_T", a.teacherTokens, b.teacherTokens]] as [string, number | null, Range | undefined][] : []),
    ...(supervised ? [] : [["L_T", a.teacherLoss, b.teacherLoss]] as [string, number | null, Range | undefined][]),
  ];
  const edges: string[] = [];
  for (const [name, value, range] of checks) {
    if (value === null || !range) continue;
    if (Math.abs(value / range.min - 1) < 1e-6) edges.push(`${name} at its lower edge`);
    else if (Math.abs(value / range.max - 1) < 1e-6) edges.push(`${name} at its upper edge`);
  }
  return edges;
}

export interface WithinDomainPlanRow extends WithinDomainPair<StrategyResult> {
  /** L_S* inside minus L_S* unconstrained, in nats (>= 0 up to the solvers' tolerance); null unless both are optimal. */
  costNats: number | null;
}

export interface WithinDomainOptions {
  /** F >= 1 (default 1). */
  factor?: number;
}

/** Section 5's plan for a student and a budget, per strategy, unconstrained and inside the widened domain. */
export function planWithinDomain(
  studentParameters: number,
  budget: number,
  strategies: readonly Strategy[],
  domain: ValidityDomain,
  options: StrategyOptions & WithinDomainOptions = {},
): { factor: number; box: StrategyBox; rows: WithinDomainPlanRow[] } {
  return compareInsideAndOut(domain, options.factor ?? DEFAULT_WIDENING, strategies,
    (strategy, box) => solveStrategy(studentParameters, budget, strategy, { ...options, box }),
    (strategy, free, inside, box): WithinDomainPlanRow => ({
      id: strategyId(strategy), label: strategyLabel(strategy), strategy, free, inside,
      edges: inside.status === "optimal" ? boxEdges(inside, box) : [],
      costNats: free.status === "optimal" && inside.status === "optimal" ? inside.studentLoss - free.studentLoss : null,
    }));
}

/** Solves each strategy unconstrained (no box) and inside the widened domain's box, and makes a row of the two answers. */
function compareInsideAndOut<S, Result, Row>(
  domain: ValidityDomain,
  factor: number,
  strategies: readonly S[],
  solve: (strategy: S, box: StrategyBox | undefined) => Result,
  row: (strategy: S, free: Result, inside: Result, box: StrategyBox) => Row,
): { factor: number; box: StrategyBox; rows: Row[] } {
  const box = withinDomainBox(domain, factor);
  return { factor, box, rows: strategies.map((strategy) => row(strategy, solve(strategy, undefined), solve(strategy, box), box)) };
}

export interface WithinDomainTargetRow extends WithinDomainPair<TargetLossResult> {
  /** C_min inside over C_min unconstrained (>= 1); null unless both reach the target. */
  computeRatio: number | null;
}

/** The target-loss question per strategy, unconstrained and inside the widened domain. */
export function targetLossWithinDomain(
  studentParameters: number,
  targetLoss: number,
  strategies: readonly LifetimeStrategy[],
  domain: ValidityDomain,
  options: TargetLossOptions & WithinDomainOptions = {},
): { factor: number; box: StrategyBox; rows: WithinDomainTargetRow[] } {
  return compareInsideAndOut(domain, options.factor ?? DEFAULT_WIDENING, strategies,
    ({ strategy }, box) => targetLossCompute(studentParameters, targetLoss, strategy, { ...options, box }),
    ({ id, label, strategy }, free, inside, box): WithinDomainTargetRow => ({
      id, label, strategy, free, inside,
      edges: inside.status === "optimal" ? boxEdges(inside, box) : [],
      computeRatio: free.status === "optimal" && inside.status === "optimal" ? inside.compute / free.compute : null,
    }));
}

export interface WithinDomainLifetimeRow extends WithinDomainPair<LifetimeAnswer> {
  /** For a target no student inside reaches: the lowest loss any student size inside reaches (every target above it is reachable). */
  targetFloor: number | null;
  /** For a lifetime budget with no allocation inside: the lifetime budgets (FLOPs) that have one (lifetimeBudgetRange); null otherwise. */
  budgetRange: BudgetRange | null;
  /**
   * For a target loss: lifetime FLOPs inside over unconstrained (>= 1). For a lifetime budget:
   * L_S inside minus unconstrained, in nats (>= 0). Null unless both are optimal.
   */
  cost: number | null;
}

/**
 * Either lifetime question per strategy, unconstrained and inside the widened domain. Inside, the
 * floor of tokens per parameter is part of the box (boxWithTokensFloor): each student size's
 * allocation is the best one on or above the floor, so that a budget has an answer inside exactly
 * when some student size has an allocation there, and the range of such budgets is exact.
 */
export function lifetimeWithinDomain(
  question: LifetimeQuestion,
  servedTokens: number,
  strategies: readonly LifetimeStrategy[],
  domain: ValidityDomain,
  options: LifetimeOptions & WithinDomainOptions & {
    /** The unconstrained answer when the caller has it already (same question, strategies and options). */
    unconstrained?: readonly LifetimeAnswer[];
  } = {},
): { factor: number; box: StrategyBox; rows: WithinDomainLifetimeRow[] } {
  const factor = options.factor ?? DEFAULT_WIDENING;
  const box = withinDomainBox(domain, factor);
  const free = options.unconstrained ?? lifetimeAnswer(question, servedTokens, strategies, { ...options, box: undefined });
  const insideOptions = { ...options, box: boxWithTokensFloor(box, options.minStudentTokensPerParameter ?? LIFETIME_MIN_TOKENS_PER_PARAMETER) };
  const inside = lifetimeAnswer(question, servedTokens, strategies, insideOptions);
  const rows = strategies.map(({ id, label, strategy }, i): WithinDomainLifetimeRow => {
    const f = free[i], n = inside[i];
    const cost = f.status === "optimal" && n.status === "optimal"
      ? ("targetLoss" in question ? n.lifetime.total / f.lifetime.total : n.studentLoss - f.studentLoss)
      : null;
    const edges = n.status === "optimal" ? boxEdges({ ...n.allocation, studentParameters: n.studentParameters }, box) : [];
    const targetFloor = n.status === "unreachable" && "targetLoss" in question ? lowestLossInside(strategy, insideOptions) : null;
    const budgetRange = n.status === "unreachable" && "budget" in question ? lifetimeBudgetRange(servedTokens, strategy, insideOptions) : null;
    return { id, label, strategy, free: f, inside: n, edges, cost, targetFloor, budgetRange };
  });
  return { factor, box, rows };
}

/** The lowest loss a strategy reaches with some student size of the box (options.box, as the lifetime search takes it): strategyFloor minimised over log N_S. */
function lowestLossInside(strategy: Strategy, options: StrategyOptions): number | null {
  const sizes = options.box?.[strategy === "supervised" ? "supervised" : "distillation"].studentParameters;
  const context = resolveSolverContext(options);
  const range = sizes ? studentRangeInBox([-Infinity, Infinity], strategy, context) : null;
  if (range === null) return null;
  const r = minimizeScalar((logN) => strategyFloor(context, Math.exp(logN), strategy, options), range[0], range[1], { scanPoints: 12, xatol: 1e-6 });
  return Number.isFinite(r.fun) ? r.fun : null;
}

function strategyId(strategy: Strategy): string {
  return typeof strategy === "string" ? strategy : "weights";
}

// ---------------------------------------------------------------------------------------------
// One flat summary per strategy, for every display (CLI table, JSON, CSV; the pages).

/** What a display shows of one strategy's within-domain answer beside its unconstrained one. */
export interface WithinDomainSummary {
  id: string;
  label: string;
  factor: number;
  /** What is compared: the loss L_S* (budget questions), or the compute / lifetime FLOPs (target questions). */
  quantity: "student loss" | "compute" | "lifetime FLOPs";
  status: "inside" | "none inside";
  /** The quantity unconstrained and inside (null where that answer does not exist). */
  free: number | null;
  inside: number | null;
  /** Inside minus unconstrained in nats (losses), or inside over unconstrained (FLOPs); null unless both exist. */
  cost: number | null;
  costUnit: "nats" | "ratio";
  /** The inside allocation (null when none is inside). */
  studentParameters: number | null;
  studentTokens: number | null;
  teacherParameters: number | null;
  teacherTokens: number | null;
  teacherLoss: number | null;
  edges: string[];
  /** With nothing inside: the budgets (FLOPs) or targets (nats; `maximum` null: any target above) that have an allocation inside. */
  feasible: { minimum: number; maximum: number | null; unit: "FLOPs" | "nats" } | null;
  /** One line for the display. */
  sentence: string;
}

const formatFlops = (x: number) => `${formatExponent(x, 3)} FLOPs`;

/** A cost ratio (>= 1) as the displays print it: three digits, whole thousands beyond 1000 ("2,318"). */
export function formatCostRatio(ratio: number): string {
  return ratio >= 1000 ? Math.round(ratio).toLocaleString("en-US") : ratio.toPrecision(3);
}

function summarise(
  row: { id: string; label: string; edges: string[] },
  factor: number,
  quantity: WithinDomainSummary["quantity"],
  free: number | null,
  inside: { value: number; allocation: Omit<Allocated, "strategy" | "teacherDetermined"> } | null,
  feasible: WithinDomainSummary["feasible"],
  whyNot: string,
): WithinDomainSummary {
  const costUnit = quantity === "student loss" ? "nats" : "ratio";
  const cost = free === null || inside === null ? null : costUnit === "nats" ? inside.value - free : inside.value / free;
  const where = factor === 1 ? "inside the fitted runs" : `inside the fitted runs widened ${factor}x`;
  const shown = (x: number) => (quantity === "student loss" ? `${x.toFixed(4)} nats` : formatFlops(x));
  const costText = cost === null ? ""
    : costUnit === "nats" ? ` (${Math.abs(cost) < 5e-5 ? "no cost" : `+${Math.max(0, cost).toFixed(4)} nats`} to stay inside)`
    : ` (${Math.abs(cost - 1) < 5e-4 ? "no cost" : `x${formatCostRatio(cost)} the ${quantity}`} to stay inside)`;
  const range = feasible === null ? ""
    : feasible.unit === "nats" ? ` Targets from ${feasible.minimum.toFixed(4)} nats up have one.`
    : ` Budgets from ${formatFlops(feasible.minimum)} to ${formatFlops(feasible.maximum!)} have one.`;
  const a = inside?.allocation;
  return {
    id: row.id, label: row.label, factor, quantity, status: inside ? "inside" : "none inside",
    free, inside: inside?.value ?? null, cost, costUnit,
    studentParameters: a?.studentParameters ?? null, studentTokens: a?.studentTokens ?? null,
    teacherParameters: a?.teacherParameters ?? null, teacherTokens: a?.teacherTokens ?? null, teacherLoss: a?.teacherLoss ?? null,
    edges: row.edges, feasible,
    sentence: inside
      ? `${upperFirst(where)}: ${shown(inside.value)}${costText}${row.edges.length ? `; binds: ${row.edges.join(", ")}` : ""}.`
      : `Nothing ${where}: ${whyNot}.${range}`,
  };
}

/** The planner's within-domain answer as one summary per strategy. */
export function summarisePlanWithinDomain(plan: ReturnType<typeof planWithinDomain>): WithinDomainSummary[] {
  return plan.rows.map((row) => {
    const free = row.free.status === "optimal" ? row.free.studentLoss : null;
    const inside = row.inside.status === "optimal" ? { value: row.inside.studentLoss, allocation: row.inside } : null;
    const range = row.inside.status === "infeasible" ? row.inside.feasibleRange : null;
    return summarise(row, plan.factor, "student loss", free, inside,
      range ? { minimum: range.minimum, maximum: range.maximum, unit: "FLOPs" } : null,
      row.inside.status !== "infeasible" ? ""
        : row.inside.reason === "nothing-inside" ? row.inside.message
        : `no allocation spends ${formatFlops(row.inside.budget)} there (too ${row.inside.reason === "budget-too-small" ? "small" : "large"} a budget)`);
  });
}

/** The target-loss question's within-domain answer as one summary per strategy. */
export function summariseTargetWithinDomain(answer: ReturnType<typeof targetLossWithinDomain>): WithinDomainSummary[] {
  return answer.rows.map((row) => {
    const free = row.free.status === "optimal" ? row.free.compute : null;
    const inside = row.inside.status === "optimal" ? { value: row.inside.compute, allocation: row.inside } : null;
    const floor = row.inside.status === "unreachable" ? row.inside.floor : null;
    return summarise(row, answer.factor, "compute", free, inside,
      floor === null ? null : { minimum: floor, maximum: null, unit: "nats" },
      row.inside.status !== "unreachable" ? ""
        : floor === null ? row.inside.message
        : `${row.inside.targetLoss} nats is below the lowest loss reachable there (${floor.toFixed(4)} nats)`);
  });
}

/** Either lifetime question's within-domain answer as one summary per strategy. */
export function summariseLifetimeWithinDomain(answer: ReturnType<typeof lifetimeWithinDomain>, question: LifetimeQuestion): WithinDomainSummary[] {
  const byLoss = !("targetLoss" in question);
  const value = (r: LifetimeAnswer) => (r.status !== "optimal" ? null : byLoss ? r.studentLoss : r.lifetime.total);
  return answer.rows.map((row) => {
    const inside = row.inside.status === "optimal"
      ? { value: value(row.inside)!, allocation: { ...row.inside.allocation, studentParameters: row.inside.studentParameters } }
      : null;
    const feasible: WithinDomainSummary["feasible"] = row.targetFloor !== null ? { minimum: row.targetFloor, maximum: null, unit: "nats" }
      : row.budgetRange !== null ? { ...row.budgetRange, unit: "FLOPs" } : null;
    return summarise(row, answer.factor, byLoss ? "student loss" : "lifetime FLOPs", value(row.free), inside, feasible,
      row.inside.status !== "unreachable" ? "" : feasible === null ? row.inside.message
        : "targetLoss" in question ? `no student size there reaches ${question.targetLoss} nats`
        : question.budget < feasible.minimum || question.budget > feasible.maximum!
        ? `no student size there has an allocation of a lifetime budget of ${formatFlops(question.budget)} (too ${question.budget < feasible.minimum ? "small" : "large"} a budget)`
        : row.inside.message);
  });
}

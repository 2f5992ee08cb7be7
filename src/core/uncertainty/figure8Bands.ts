// Figure 8 with uncertainty: the point fit's curves and crossovers, each ensemble member's own
// (re-optimised, warm-started from the point fit), and the bands and intervals over members.
// The same functions run in the build-time loader (Node worker threads), the page's Web Workers
// and `npm run bench`, so the prebuilt default view and a recomputed one are the same numbers.

import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import { resolveSolverContext, type LawCoefficients } from "../allocation/optimizer.js";
import type { ScenarioId } from "../laws/scenarios.js";
import type { StrategyResult } from "../allocation/strategy.js";
import { crossoverInterval, crossoverNear, type CrossoverInterval } from "./crossoverBands.js";
import { cellIndex, curveBands, memberLossesWith, pointSolutions, type CurveBand, type CurveBandOptions, type CurveGrid } from "./curveBands.js";
import { supervisedCrossoverWith } from "../allocation/crossover.js";
import type { EnsembleQuestion } from "../ensemble/question.js";
import { decidingExtrapolation, worstExtrapolation, type Extrapolation } from "../ensemble/verdict.js";
import { plannedPointFlags, type ValidityDomain } from "../domain/validity.js";
import { planAllocations } from "../allocation/plan.js";
import { solveMembers } from "../ensemble/runner.js";
import { answerError, unwidened, widenLossBand, type OutOfDomainWidening, type WidenedBand } from "../domain/bandWidening.js";

/** The crossovers the table reports: best case (Figure 8's) and teacher inference (an existing teacher, the abstract's claim). */
export const CROSSOVER_SCENARIOS: readonly ScenarioId[] = Object.freeze(["best-case", "teacher-inference"]);

export interface Figure8Point {
  solutions: StrategyResult[];
  /** [student][crossover scenario]: the budget, or null for no crossover in range. */
  crossovers: (number | null)[][];
  /** [student][crossover scenario]: whether the runs decide the crossover (null: none in range, or no domain). */
  crossoverDomain: (CrossoverDomain | null)[][];
}

/**
 * Where a crossover leans on the laws' form: the rows it compares (supervised training and the
 * scenario, at the crossover budget with the point fit) and the verdict rule's deciding extrapolation.
 */
export interface CrossoverDomain {
  /** The worst variable of the two rows (furthest beyond its limit), and whose it is; null: both inside. */
  extrapolation: (Extrapolation & { strategy: string }) | null;
  decidedByRuns: boolean;
}

/** The verdict rule at a crossover: both compared rows at the crossover budget, checked against the domain. */
export function crossoverDomain(
  studentParameters: number, scenario: ScenarioId, budget: number, coefficients: LawCoefficients, options: CurveBandOptions, domain: ValidityDomain,
): CrossoverDomain {
  const rows = planAllocations({ studentParameters, budget, coefficients, flops: options.flops, bounds: options.bounds }, ["supervised", scenario]);
  const { worst, decidedByRuns } = decidingExtrapolation(rows.map((row) =>
    row.studentTokens === null ? null : worstExtrapolation(plannedPointFlags({ ...row, studentTokens: row.studentTokens }, domain))));
  return { extrapolation: worst && { variable: worst.variable, factor: worst.factor, side: worst.side, limit: worst.limit, strategy: rows[worst.index].strategy }, decidedByRuns };
}

export function figure8Point(coefficients: LawCoefficients, grid: CurveGrid, options: CurveBandOptions = {}, domain: ValidityDomain | null = null): Figure8Point {
  const context = resolveSolverContext({ coefficients, flops: options.flops, bounds: options.bounds });
  const crossovers = grid.studentParameters.map((N) =>
    CROSSOVER_SCENARIOS.map((scenario) => supervisedCrossoverWith(context, N, scenario)?.budget ?? null));
  return {
    solutions: pointSolutions(coefficients, grid, options),
    crossovers,
    crossoverDomain: grid.studentParameters.map((N, s) => CROSSOVER_SCENARIOS.map((scenario, k) => {
      const budget = crossovers[s][k];
      return budget === null || domain === null ? null : crossoverDomain(N, scenario, budget, coefficients, options, domain);
    })),
  };
}

export interface MemberResult {
  losses: Float64Array;
  crossovers: (number | null)[][];
}

/** One member's L_S* over the grid and its crossovers, each searched from the point fit's. */
export function figure8Member(member: EnsembleMember, grid: CurveGrid, point: Figure8Point, options: CurveBandOptions = {}): MemberResult {
  const context = resolveSolverContext({ coefficients: member, flops: options.flops, bounds: options.bounds });
  return {
    losses: memberLossesWith(context, grid, point.solutions, options),
    crossovers: grid.studentParameters.map((N, s) =>
      CROSSOVER_SCENARIOS.map((scenario, k) => crossoverNear(context, N, scenario, point.crossovers[s][k]))),
  };
}

/** A cell's bands; its loss band widened beyond the domain at the point fit's answer in the cell. */
export interface Figure8CurveBand extends Omit<CurveBand, "loss"> {
  loss: WidenedBand | null;
}

/**
 * Each cell's loss band widened by the error at the point fit's optimum in that cell (as the
 * planner's rows): unchanged inside the domain, without a widening, or where the point fit has no optimum.
 */
export function widenCurveBands(curves: readonly CurveBand[], solutions: readonly StrategyResult[], outOfDomain: OutOfDomainWidening | null): Figure8CurveBand[] {
  return curves.map((cell, i) => {
    const p = solutions[i];
    const error = p?.status === "optimal" ? answerError(p, outOfDomain) : null;
    return { ...cell, loss: cell.loss && (error ? widenLossBand(cell.loss, error) : unwidened(cell.loss)) };
  });
}

export interface CrossoverBand {
  studentIndex: number;
  scenario: ScenarioId;
  /** The point fit's crossover; null: none in range. */
  point: number | null;
  interval: CrossoverInterval | null;
  /** Whether the runs decide the point fit's crossover (null: none in range, or no domain). */
  domain: CrossoverDomain | null;
}

/** What the figure and the crossover table draw from: serialisable (the build writes it as JSON). */
export interface Figure8Bands {
  grid: { studentParameters: number[]; strategies: string[]; budgets: number[] };
  level: number;
  ensemble: { kind: CoefficientEnsemble["kind"]; description: string; members: number; requested: number; leftOut: number };
  /** In cell order (cellIndex). */
  curves: Figure8CurveBand[];
  crossovers: CrossoverBand[];
}

export function figure8Bands(
  grid: CurveGrid,
  point: Figure8Point,
  members: readonly MemberResult[],
  ensemble: Pick<CoefficientEnsemble, "kind" | "description" | "requested" | "leftOut">,
  level = 0.9,
  outOfDomain: OutOfDomainWidening | null = null,
): Figure8Bands {
  return {
    grid: { studentParameters: [...grid.studentParameters], strategies: [...grid.strategies], budgets: [...grid.budgets] },
    level,
    ensemble: { kind: ensemble.kind, description: ensemble.description, members: members.length, requested: ensemble.requested, leftOut: ensemble.leftOut },
    curves: widenCurveBands(curveBands(grid, members.map((m) => m.losses), level), point.solutions, outOfDomain),
    crossovers: grid.studentParameters.flatMap((_, s) => CROSSOVER_SCENARIOS.map((scenario, k) => ({
      studentIndex: s, scenario, point: point.crossovers[s][k],
      interval: crossoverInterval(members.map((m) => m.crossovers[s][k]), level),
      domain: point.crossoverDomain?.[s]?.[k] ?? null,
    }))),
  };
}

/** The bands of the cell of a student, strategy and budget (exact grid values); null when the grid has no such cell. */
export function curveBandAt(bands: Figure8Bands, studentParameters: number, strategy: string, budget: number): Figure8CurveBand | null {
  const s = bands.grid.studentParameters.indexOf(studentParameters);
  const k = bands.grid.strategies.indexOf(strategy);
  const b = bands.grid.budgets.indexOf(budget);
  return s < 0 || k < 0 || b < 0 ? null : bands.curves[cellIndex(bands.grid as CurveGrid, s, k, b)] ?? null;
}

/** The whole computation in one thread (tests, bench); `onMember` reports progress. */
export function computeFigure8Bands(
  coefficients: LawCoefficients,
  ensemble: CoefficientEnsemble,
  grid: CurveGrid,
  options: CurveBandOptions = {},
  onMember?: (done: number, total: number) => void,
  domain: ValidityDomain | null = null,
  outOfDomain: OutOfDomainWidening | null = null,
): Figure8Bands {
  const point = figure8Point(coefficients, grid, options, domain);
  const results = solveMembers(figure8Question, { grid, options }, point, ensemble.members, undefined, { onProgress: onMember, chunk: 1 })!;
  return figure8Bands(grid, point, results, ensemble, 0.9, outOfDomain);
}

export interface Figure8Input {
  grid: CurveGrid;
  options?: CurveBandOptions;
  /** Absent or null: the loss bands are the members' spread only, wherever the answer lies. */
  outOfDomain?: OutOfDomainWidening | null;
}

/** Figure 8's bands as an ensemble question: prepared with the point fit's curves and crossovers (the members' warm starts). */
export const figure8Question: EnsembleQuestion<Figure8Input, Figure8Point, MemberResult, Figure8Bands> = {
  name: "figure8",
  prepare: ({ grid, options }, context) => figure8Point(context.point, grid, options, context.domain),
  solveMember: (member, { grid, options }, point) => figure8Member(member, grid, point, options),
  summarise: (outcomes, { grid, outOfDomain }, point, context) => figure8Bands(grid, point, outcomes, context.ensemble, 0.9, outOfDomain ?? null),
};

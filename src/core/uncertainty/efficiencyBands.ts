// Bands around Figures 33 and 34 (docs/spec.md section 9, Appendix D.5): for each (student, target,
// scenario) cell of a grid of target losses, the compute ratio and the data ratio (Eq. 34) of every
// ensemble member, each member solved on its own (targetLossCompute with its coefficients, against
// supervised training's closed form in the same member), then their 90% bands.
//
// The figures' points come from compute-optimal solutions on a budget grid, which differ by
// member; the bands need targets every member is asked about, so they use a grid of targets of
// their own: along each curve (student and scenario), the point fit's supervised loss at
// supervised token counts spaced evenly in log between the curve's two ends, so that each ribbon
// runs exactly where its curve does. The same functions run in the build-time loader (Node worker
// threads), the page's Web Workers and the tests, so the prebuilt default view and a recomputed
// one are the same numbers.

import { band, type Band } from "../ensemble/bands.js";
import { unwidened, widenRatioBand, type OutOfDomainWidening, type WidenedBand } from "../domain/bandWidening.js";
import { targetCostBrackets, targetPointAnswers, type TargetCost, type TargetCostBracket } from "./targetLossUncertainty.js";
import type { LawCoefficients } from "../allocation/optimizer.js";
import type { CoefficientEnsemble, EnsembleMember } from "../ensemble/ensemble.js";
import type { FlopsModel } from "../laws/flops.js";
import { supervisedLoss, type SupervisedCoefficients } from "../laws/laws.js";
import { SCENARIO_IDS, type ScenarioId } from "../laws/scenarios.js";
import { targetLossComputeWith } from "../questions/targetLoss.js";
import { resolveSolverContext } from "../allocation/optimizer.js";
import type { EnsembleQuestion } from "../ensemble/question.js";
import { solveMembers } from "../ensemble/runner.js";

/**
 * The figures' x axis: targets supervised training reaches with 1 to 20,000 tokens per parameter.
 * The right end reaches close enough to the floor L(N_S, inf) to show what the paper stresses
 * there: distillation's advantage turns into a cost (ratios above 1), for 6 of the 8 default
 * students under Table 6; at 2,000 the curves stopped short of it (best case 0.45 to 0.90).
 */
export const EFFICIENCY_TOKENS_PER_PARAMETER: readonly [number, number] = Object.freeze([1, 20000]) as readonly [number, number];

/** Where a curve of Figures 33/34 runs: its student, its scenario and the supervised tokens of its two ends. */
export interface EfficiencyCurveSpan {
  studentParameters: number;
  strategy: ScenarioId;
  fewestTokens: number;
  mostTokens: number;
}

export interface EfficiencyGrid {
  studentParameters: number[];
  strategies: ScenarioId[];
  /** [student][strategy]: the target losses L* (increasing); empty where there is no curve. */
  targets: number[][][];
}

export interface EfficiencyBandOptions {
  flops?: FlopsModel;
  bounds?: readonly [number, number];
}

/** What the bands are asked for: the grid, and beyond the domain the widening of the target-loss question. */
export interface EfficiencyInput {
  grid: EfficiencyGrid;
  options?: EfficiencyBandOptions;
  /** Absent or null: the ribbons are the members' spread only, wherever the answers lie. */
  outOfDomain?: OutOfDomainWidening | null;
}

/** A cell's brackets of the point fit's answers, the scenario's and supervised training's (targetCostBrackets): the ratios widen over them. */
export interface EfficiencyCellBrackets {
  scenario: TargetCostBracket | null;
  supervised: TargetCostBracket | null;
}

/**
 * Per cell (efficiencyCellCount's order), the brackets the target-loss question widens its
 * ratios with at the cell's student and target; null without a widening (nothing is solved).
 */
export function efficiencyBrackets(point: LawCoefficients, { grid, options = {}, outOfDomain }: EfficiencyInput): EfficiencyCellBrackets[] | null {
  if (!outOfDomain) return null;
  const cells: EfficiencyCellBrackets[] = [];
  grid.studentParameters.forEach((studentParameters, s) => {
    grid.strategies.forEach((strategy, k) => {
      for (const targetLoss of grid.targets[s][k]) {
        const inputs = {
          studentParameters, targetLoss, flops: options.flops, bounds: options.bounds, outOfDomain,
          strategies: [{ id: "supervised", label: "supervised", strategy: "supervised" as const }, { id: strategy, label: strategy, strategy }],
        };
        const [supervised, scenario] = targetCostBrackets(inputs, targetPointAnswers(inputs, point), point);
        cells.push({ scenario, supervised });
      }
    });
  });
  return cells;
}

/**
 * `count` targets for a student: the supervised loss of `coefficients` at token counts spaced
 * evenly in log from `mostTokens` down to `fewestTokens`, lowest loss first.
 */
export function efficiencyTargets(studentParameters: number, coefficients: SupervisedCoefficients, count: number, [fewestTokens, mostTokens]: readonly [number, number]): number[] {
  if (!(Number.isInteger(count) && count >= 2)) throw new RangeError(`efficiencyTargets: count must be a whole number >= 2, got ${count}`);
  return Array.from({ length: count }, (_, i) => supervisedLoss(coefficients, studentParameters, mostTokens * (fewestTokens / mostTokens) ** (i / (count - 1))));
}

/**
 * The bands' grid along the figures' curves: `count` targets for each student and scenario over
 * the span its curve covers (from the point fit's supervised law); none where it has no curve, or
 * a curve of one point.
 */
export function efficiencyGrid(
  studentParameters: readonly number[],
  spans: readonly EfficiencyCurveSpan[],
  coefficients: { supervised: SupervisedCoefficients },
  count: number,
): EfficiencyGrid {
  const strategies = [...SCENARIO_IDS];
  return {
    studentParameters: [...studentParameters],
    strategies,
    targets: studentParameters.map((N) => strategies.map((strategy) => {
      const span = spans.find((c) => c.studentParameters === N && c.strategy === strategy);
      return span && span.mostTokens > span.fewestTokens ? efficiencyTargets(N, coefficients.supervised, count, [span.fewestTokens, span.mostTokens]) : [];
    })),
  };
}

/** Cells in the order student, strategy, target (target fastest). */
export function efficiencyCellCount(grid: EfficiencyGrid): number {
  return grid.targets.flat().reduce((n, t) => n + t.length, 0);
}

/** What a cell of one member holds. */
export const CELL_REACHED = 0, CELL_UNREACHABLE = 1, CELL_FAILED = 2;

/** One member's ratios in every cell (NaN where it or supervised training cannot reach the target, or a solve failed). */
export interface EfficiencyMemberResult {
  computeRatios: Float64Array;
  dataRatios: Float64Array;
  /** CELL_REACHED, CELL_UNREACHABLE or CELL_FAILED per cell. */
  status: Uint8Array;
}

/** Solves one member in every cell: targetLossCompute for each scenario and for supervised training (closed form). */
export function efficiencyMember(member: EnsembleMember, grid: EfficiencyGrid, options: EfficiencyBandOptions = {}): EfficiencyMemberResult {
  const cells = efficiencyCellCount(grid);
  const result = { computeRatios: new Float64Array(cells).fill(NaN), dataRatios: new Float64Array(cells).fill(NaN), status: new Uint8Array(cells) };
  const context = resolveSolverContext({ coefficients: member, flops: options.flops, bounds: options.bounds });
  let cell = 0;
  grid.studentParameters.forEach((N, s) => {
    grid.strategies.forEach((strategy, k) => {
      for (const L of grid.targets[s][k]) {
        try {
          const supervised = targetLossComputeWith(context, N, L, "supervised");
          const distilled = targetLossComputeWith(context, N, L, strategy);
          if (distilled.status !== "optimal" || supervised.status !== "optimal") result.status[cell] = CELL_UNREACHABLE;
          else {
            result.computeRatios[cell] = distilled.compute / supervised.compute;
            result.dataRatios[cell] = distilled.dataTokens / supervised.dataTokens;
          }
        } catch {
          result.status[cell] = CELL_FAILED;
        }
        cell++;
      }
    });
  });
  return result;
}

export interface EfficiencyCell {
  studentIndex: number;
  strategy: ScenarioId;
  targetLoss: number;
  /**
   * Null: no member reaches this target with the scenario (and supervised training). Beyond the
   * domain widened as the target-loss question's ratios (`widened`; `unbounded`: the harder target is out of the point fit's reach).
   */
  computeRatio: WidenedBand | null;
  dataRatio: WidenedBand | null;
  /** Members that cannot reach the target (either strategy), and whose solve failed: left out of the bands. */
  unreachable: number;
  failed: number;
}

/** What the figures draw from: serialisable (the build writes it as JSON). */
export interface EfficiencyBands {
  grid: EfficiencyGrid;
  level: number;
  ensemble: { kind: CoefficientEnsemble["kind"]; description: string; members: number; requested: number; leftOut: number };
  cells: EfficiencyCell[];
}

export function efficiencyBands(
  grid: EfficiencyGrid,
  members: readonly EfficiencyMemberResult[],
  ensemble: Pick<CoefficientEnsemble, "kind" | "description" | "requested" | "leftOut">,
  level = 0.9,
  brackets: readonly EfficiencyCellBrackets[] | null = null,
): EfficiencyBands {
  const cells: EfficiencyCell[] = [];
  let cell = 0;
  const ratioBand = (values: number[], i: number, value: (v: TargetCost) => number) => {
    const b = band(values, level);
    const bracket = brackets?.[i];
    return b && (bracket ? widenRatioBand(b, bracket.scenario, bracket.supervised, value) : unwidened(b));
  };
  grid.studentParameters.forEach((_, s) => {
    grid.strategies.forEach((strategy, k) => {
      for (const targetLoss of grid.targets[s][k]) {
        const i = cell++;
        cells.push({
          studentIndex: s, strategy, targetLoss,
          computeRatio: ratioBand(members.map((m) => m.computeRatios[i]), i, (v) => v.compute),
          dataRatio: ratioBand(members.map((m) => m.dataRatios[i]), i, (v) => v.dataTokens),
          unreachable: members.filter((m) => m.status[i] === CELL_UNREACHABLE).length,
          failed: members.filter((m) => m.status[i] === CELL_FAILED).length,
        });
      }
    });
  });
  return {
    grid: { studentParameters: [...grid.studentParameters], strategies: [...grid.strategies], targets: grid.targets.map((t) => t.map((u) => [...u])) },
    level,
    ensemble: { kind: ensemble.kind, description: ensemble.description, members: members.length, requested: ensemble.requested, leftOut: ensemble.leftOut },
    cells,
  };
}

/** The whole computation in one thread (tests); `onMember` reports progress; with `widening`, `point` (the point fit) widens the ribbons beyond the domain. */
export function computeEfficiencyBands(
  ensemble: CoefficientEnsemble,
  grid: EfficiencyGrid,
  options: EfficiencyBandOptions = {},
  onMember?: (done: number, total: number) => void,
  widening: { point: LawCoefficients; outOfDomain: OutOfDomainWidening } | null = null,
): EfficiencyBands {
  const input = { grid, options, outOfDomain: widening?.outOfDomain ?? null };
  const brackets = widening ? efficiencyBrackets(widening.point, input) : null;
  const results = solveMembers(efficiencyQuestion, input, brackets, ensemble.members, undefined, { onProgress: onMember, chunk: 1 })!;
  return efficiencyBands(grid, results, ensemble, 0.9, brackets);
}

/**
 * Whether bands computed for `a` serve a view of `b` (same students, targets and scenarios). Targets
 * match to 1e-6 relative: the prebuilt file keeps eight significant digits.
 */
export function sameEfficiencyGrid(a: EfficiencyGrid, b: EfficiencyGrid): boolean {
  const close = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => Math.abs(v / y[i] - 1) < 1e-6);
  return close(a.studentParameters, b.studentParameters) && a.targets.length === b.targets.length &&
    a.targets.every((t, s) => t.length === b.targets[s].length && t.every((u, k) => close(u, b.targets[s][k]))) &&
    a.strategies.length === b.strategies.length && a.strategies.every((v, i) => v === b.strategies[i]);
}

/** Figures 33/34's bands as an ensemble question: prepared with the point fit's brackets beyond the domain, one member's ratios in every cell. */
export const efficiencyQuestion: EnsembleQuestion<EfficiencyInput, EfficiencyCellBrackets[] | null, EfficiencyMemberResult, EfficiencyBands> = {
  name: "efficiency",
  prepare: (input, context) => efficiencyBrackets(context.point, input),
  solveMember: (member, { grid, options }) => efficiencyMember(member, grid, options),
  summarise: (outcomes, { grid }, brackets, context) => efficiencyBands(grid, outcomes, context.ensemble, 0.9, brackets),
};

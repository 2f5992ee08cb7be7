// npm run measure:reparametrisation [-- --members 60 --seed 1]: Eq. 8's capacity term
// (A' N_S^-alpha' + B' D_S^-beta')^gamma' fitted in the fitter's parametrisation (log A', log B',
// alpha', beta', gamma', ...) and in one meant to be identifiable: the runs pin down the products
// a = alpha' gamma' and b = beta' gamma' and each term's value at a reference point, so
//   u = gamma' (log A' - alpha' log N_ref),  v = gamma' (log B' - beta' log D_ref),  a,  b,  gamma'
// (N_ref = 1e9, D_ref = 3e10, the middle of the bundled runs), the switch coefficients as they are.
// Both are one family of functions: the change can only alter what the optimiser reaches and how
// the coefficients spread, which is what this measures.
//
// Method: the bundled runs (src/data/runs/paper-synthetic), the supervised law fixed at its point
// fit (so L~_S is the same in both and the differences are the parametrisation's alone), the
// distillation point fit by L-BFGS-B from Table 6; then `--members` resamples of the distillation
// runs (seeded), each refitted in both parametrisations from the point fit with the fitter's local
// settings (fitSearch.ts). Printed: the coefficients' 5-95% spreads, the objective at each optimum,
// settled members and iterations, 90% band widths of L_S* for plans inside and beyond the runs,
// implausible members (plausibleMembers.ts) and time. Timings on a shared machine are noisy.

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { randomInt, randomLcg } from "d3-random";
import { quantile } from "d3-array";
import { readDataset } from "../../src/node/datasets.js";
import { fitSupervised, DISTILLATION_SPEC, DISTILLATION_SEARCH, settled } from "../../src/core/fitting/fitSearch.js";
import { DistillationData } from "../../src/core/fitting/fitObjective.js";
import { minimizeBounded, type MinimizeResult } from "../../src/core/numerics/lbfgsb.js";
import { TABLE6, distillationFromVector, supervisedLoss, distillationToVector, type DistillationCoefficients, type SupervisedCoefficients } from "../../src/core/laws/laws.js";
import { solveMember } from "../../src/core/uncertainty/planUncertainty.js";
import { findImplausibility } from "../../src/core/ensemble/plausibleMembers.js";
import { validityDomain } from "../../src/core/domain/validity.js";
import { answerFactors } from "../../src/core/domain/outOfDomain.js";
import type { DistillationRun } from "../../src/core/fitting/runs.js";
import type { StrategyId } from "../../src/core/allocation/strategy.js";

const { values } = parseArgs({ options: { members: { type: "string", default: "60" }, seed: { type: "string", default: "1" } } });
const MEMBERS = Number(values.members);
const SEED = Number(values.seed);
if (!(Number.isInteger(MEMBERS) && MEMBERS >= 5)) throw new Error(`--members must be a whole number of at least 5, got ${values.members}`);
if (!Number.isInteger(SEED)) throw new Error(`--seed must be a whole number, got ${values.seed}`);

const LOG_N_REF = Math.log(1e9);
const LOG_D_REF = Math.log(3e10);
const DELTA = 1e-4;
const GAMMA_FLOOR = 1e-3;

/** theta of the fitter (laws.ts order) from the identifiable vector [u, v, a, b, gamma, c0, c1, f1, log d1]. */
function thetaOf(phi: ArrayLike<number>, theta: Float64Array): Float64Array {
  const [u, v, a, b, gamma] = [phi[0], phi[1], phi[2], phi[3], phi[4]];
  theta[0] = (u + a * LOG_N_REF) / gamma;
  theta[1] = (v + b * LOG_D_REF) / gamma;
  theta[2] = a / gamma;
  theta[3] = b / gamma;
  theta[4] = gamma;
  for (let k = 5; k < 9; k++) theta[k] = phi[k];
  return theta;
}

function phiOf(c: DistillationCoefficients): number[] {
  const t = distillationToVector(c);
  const [logA, logB, alpha, beta, gamma] = t;
  return [gamma * (logA - alpha * LOG_N_REF), gamma * (logB - beta * LOG_D_REF), alpha * gamma, beta * gamma, gamma, ...t.slice(5)];
}

interface Refit { coefficients: DistillationCoefficients; objective: number; settled: boolean; iterations: number; evaluations: number; seconds: number }

const search = { memory: DISTILLATION_SEARCH.memory, maxIterations: DISTILLATION_SEARCH.maxIterations, maxEvaluations: 4 * DISTILLATION_SEARCH.maxIterations,
  gradientTolerance: DISTILLATION_SEARCH.gradientTolerance, functionTolerance: 0, functionTarget: 1e-14 };

function finish(result: MinimizeResult, coefficients: DistillationCoefficients, started: number): Refit {
  return {
    coefficients, objective: result.fun, settled: settled(result, search.gradientTolerance),
    iterations: result.iterations, evaluations: result.evaluations, seconds: (performance.now() - started) / 1000,
  };
}

/** The fitter's parametrisation and bounds; the objective normalised as fitSearch.ts normalises it. */
function refitCurrent(data: DistillationData, weightSum: number, start: DistillationCoefficients): Refit {
  const started = performance.now();
  const scale = 1 / (weightSum * DELTA * DELTA);
  const result = minimizeBounded((x, grad) => {
    const value = data.objective(x, DELTA, grad);
    for (let k = 0; k < grad.length; k++) grad[k] *= scale;
    return value * scale;
  }, distillationToVector(start), {
    ...search, lower: DISTILLATION_SPEC.defaultBounds.map((b) => b[0]), upper: DISTILLATION_SPEC.defaultBounds.map((b) => b[1]),
  });
  return finish(result, distillationFromVector(result.x), started);
}

/** The identifiable parametrisation: the same objective, its gradient by the chain rule. */
function refitIdentifiable(data: DistillationData, weightSum: number, start: DistillationCoefficients): Refit {
  const started = performance.now();
  const scale = 1 / (weightSum * DELTA * DELTA);
  const theta = new Float64Array(9);
  const g = new Float64Array(9);
  const result = minimizeBounded((phi, grad) => {
    thetaOf(phi, theta);
    const value = data.objective(theta, DELTA, g);
    const gamma = phi[4];
    const [logA, logB, alpha, beta] = [theta[0], theta[1], theta[2], theta[3]];
    grad[0] = g[0] / gamma;
    grad[1] = g[1] / gamma;
    grad[2] = (g[0] * LOG_N_REF + g[2]) / gamma;
    grad[3] = (g[1] * LOG_D_REF + g[3]) / gamma;
    grad[4] = g[4] - (g[0] * logA + g[1] * logB + g[2] * alpha + g[3] * beta) / gamma;
    for (let k = 5; k < 9; k++) grad[k] = g[k];
    for (let k = 0; k < 9; k++) grad[k] *= scale;
    return value * scale;
  }, phiOf(start), {
    ...search,
    lower: [-Infinity, -Infinity, 0, 0, GAMMA_FLOOR, ...DISTILLATION_SPEC.defaultBounds.slice(5).map((b) => b[0])],
    upper: [Infinity, Infinity, Infinity, Infinity, Infinity, ...DISTILLATION_SPEC.defaultBounds.slice(5).map((b) => b[1])],
  });
  return finish(result, distillationFromVector(thetaOf(result.x, new Float64Array(9))), started);
}

// ---------------------------------------------------------------------------------------------

const folder = fileURLToPath(new URL("../../src/data/runs/paper-synthetic/", import.meta.url));
const dataset = readDataset(folder);
const supervised: SupervisedCoefficients = fitSupervised(dataset.supervised, { startGrid: Object.fromEntries(
  Object.entries({ logA: Math.log(TABLE6.supervised.A), logB: Math.log(TABLE6.supervised.B), logE: Math.log(TABLE6.supervised.E),
    alpha: TABLE6.supervised.alpha, beta: TABLE6.supervised.beta, gamma: TABLE6.supervised.gamma }).map(([k, v]) => [k, [v]])) }).coefficients;
const runs = dataset.distillation;
const full = DistillationData.from(runs, supervised);
const point = refitCurrent(full, runs.length, TABLE6.distillation);
const pointIdentifiable = refitIdentifiable(full, runs.length, TABLE6.distillation);
const domain = validityDomain(dataset.supervised, runs, dataset.id);

const draw = randomInt.source(randomLcg(SEED))(runs.length);
const current: Refit[] = [];
const identifiable: Refit[] = [];
for (let m = 0; m < MEMBERS; m++) {
  const resample: DistillationRun[] = Array.from({ length: runs.length }, () => runs[draw()]);
  const data = DistillationData.from(resample, supervised);
  current.push(refitCurrent(data, resample.length, point.coefficients));
  identifiable.push(refitIdentifiable(data, resample.length, point.coefficients));
}

// ---------------------------------------------------------------------------------------------
// Report.

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(2) : x.toPrecision(3));
const spread = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((p, q) => p - q);
  return `${fmt(quantile(s, 0.05)!)} .. ${fmt(quantile(s, 0.95)!)}`;
};
const derived: Record<string, (c: DistillationCoefficients) => number> = {
  "A'": (c) => c.A, "B'": (c) => c.B, "alpha'": (c) => c.alpha, "beta'": (c) => c.beta, "gamma'": (c) => c.gamma,
  "a = alpha' gamma'": (c) => c.alpha * c.gamma, "b = beta' gamma'": (c) => c.beta * c.gamma,
  "u = gamma' log(A' N_ref^-alpha')": (c) => c.gamma * (Math.log(c.A) - c.alpha * LOG_N_REF),
  "v = gamma' log(B' D_ref^-beta')": (c) => c.gamma * (Math.log(c.B) - c.beta * LOG_D_REF),
  c0: (c) => c.c0, c1: (c) => c.c1, f1: (c) => c.f1, d1: (c) => c.d1,
};
const lines: string[] = [];
const say = (s: string) => lines.push(s);
say(`Eq. 8 reparametrisation on ${dataset.id}: ${runs.length} distillation runs, ${MEMBERS} resamples (seed ${SEED}), supervised law fixed at its point fit`);
say(`point fit objective: current ${point.objective.toPrecision(10)} (${point.iterations} iterations), identifiable ${pointIdentifiable.objective.toPrecision(10)} (${pointIdentifiable.iterations} iterations)`);
say("");
say("coefficient 5-95% over the members        current parametrisation     identifiable parametrisation");
for (const [name, f] of Object.entries(derived)) {
  say(`  ${name.padEnd(36)} ${spread(current.map((r) => f(r.coefficients))).padEnd(28)}${spread(identifiable.map((r) => f(r.coefficients)))}`);
}
const relative = current.map((c, i) => (identifiable[i].objective - c.objective) / c.objective);
const lower = relative.filter((r) => r < -1e-6).length, higher = relative.filter((r) => r > 1e-6).length;
say("");
say(`objective at the optimum, identifiable vs current (relative): median ${fmt(quantile([...relative].sort((p, q) => p - q), 0.5)!)}, ` +
  `min ${fmt(Math.min(...relative))}, max ${fmt(Math.max(...relative))}; lower by > 1e-6 in ${lower}, higher in ${higher}, alike in ${MEMBERS - lower - higher} of ${MEMBERS}`);
for (const [name, fits] of [["current", current], ["identifiable", identifiable]] as const) {
  const iterations = fits.map((r) => r.iterations).sort((p, q) => p - q);
  const seconds = fits.reduce((s, r) => s + r.seconds, 0);
  const implausible = fits.filter((r) => findImplausibility({ supervised, distillation: r.coefficients }, { domain }) !== null).length;
  say(`  ${name.padEnd(13)} settled ${fits.filter((r) => r.settled).length} of ${MEMBERS}; iterations median ${quantile(iterations, 0.5)}, max ${iterations.at(-1)}; ` +
    `refit time ${seconds.toFixed(1)} s; implausible ${implausible}`);
}

// Plans: 90% band width of L_S* over the members, per strategy, for answers inside and beyond the runs.
const STRATEGIES: StrategyId[] = ["best-case", "teacher-inference", "teacher-pretraining"];
const CASES = [
  { label: "546M, 1e21 FLOPs", studentParameters: 5.46e8, budget: 1e21 },
  { label: "143M, 1e22 FLOPs", studentParameters: 1.434e8, budget: 1e22 },
  { label: "7.75B, 1e20 FLOPs", studentParameters: 7.747e9, budget: 1e20 },
  { label: "30B, 1e25 FLOPs", studentParameters: 3e10, budget: 1e25 },
];
say("");
say("90% band width of L_S* (nats): current / identifiable, with the point plan's largest factor beyond the runs");
for (const c of CASES) {
  const inputs = { studentParameters: c.studentParameters, budget: c.budget, strategies: STRATEGIES };
  const pointOutcome = solveMember(inputs, { supervised, distillation: point.coefficients }).outcome;
  const widths = (fits: Refit[]) => STRATEGIES.map((_, k) => {
    const losses = fits.map((r) => solveMember(inputs, { supervised, distillation: r.coefficients }).outcome[k]?.studentLoss ?? NaN)
      .filter(Number.isFinite).sort((p, q) => p - q);
    return losses.length < 2 ? "n/a" : (quantile(losses, 0.95)! - quantile(losses, 0.05)!).toFixed(4);
  });
  const before = widths(current), after = widths(identifiable);
  const factors = STRATEGIES.map((_, k) => {
    const o = pointOutcome[k];
    if (!o || !Number.isFinite(o.studentLoss)) return "-";
    const teacherLoss = o.teacherParameters !== null && o.teacherTokens !== null
      ? supervisedLoss(supervised, o.teacherParameters, o.teacherTokens) : null;
    const f = answerFactors({ studentParameters: c.studentParameters, studentTokens: o.studentTokens, teacherLoss }, domain);
    return `x${Math.max(1, ...Object.values(f).map(Number)).toPrecision(3)}`;
  });
  say(`  ${c.label.padEnd(18)} ${STRATEGIES.map((s, k) => `${s} ${before[k]} / ${after[k]} (${factors[k]})`).join("; ")}`);
}
process.stdout.write(`${lines.join("\n")}\n`);

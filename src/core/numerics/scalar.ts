// Bounded scalar minimisation: Brent's method (SciPy's `minimize_scalar(method="bounded")`),
// optionally preceded by a coarse scan so that a function with more than one dip is bracketed
// around its best dip before the local search.

export type ScalarStatus = "converged" | "max-evaluations" | "non-finite";

export interface ScalarResult {
  x: number;
  fun: number;
  converged: boolean;
  status: ScalarStatus;
  message: string;
  evaluations: number;
}

export interface ScalarOptions {
  /** Absolute tolerance on x. */
  xatol?: number;
  /** Brent iterations at most. */
  maxEvaluations?: number;
  /** Points of the coarse scan over [lower, upper]; 0 or 1 skips the scan. */
  scanPoints?: number;
  /** How many of the scan's local minima Brent refines, deepest first. Default 2. */
  dips?: number;
}

const GOLDEN = 0.5 * (3 - Math.sqrt(5));

/** Brent's bounded minimisation of f on [lower, upper] (port of SciPy's fminbound). */
export function brentBounded(
  f: (x: number) => number,
  lower: number,
  upper: number,
  xatol = 1e-10,
  maxEvaluations = 200,
): ScalarResult {
  if (!(lower <= upper)) throw new RangeError(`brentBounded: empty interval [${lower}, ${upper}]`);
  if (lower === upper) {
    const fun = f(lower);
    return finish(lower, fun, 1, Number.isFinite(fun) ? "converged" : "non-finite");
  }
  const x0 = lower + GOLDEN * (upper - lower);
  const f0 = f(x0);
  return brentFrom(f, lower, upper, xatol, maxEvaluations, { x: x0, fx: f0, w: x0, fw: f0, v: x0, fv: f0, step: 0 }, 1);
}

/** Where Brent's iteration starts: its best point x, the two before it, and the step before last. */
interface BrentStart { x: number; fx: number; w: number; fw: number; v: number; fv: number; step: number }

function brentFrom(
  f: (x: number) => number, lower: number, upper: number, xatol: number, maxEvaluations: number,
  start: BrentStart, evaluationsSoFar: number,
): ScalarResult {
  const sqrtEps = Math.sqrt(2.2e-16);
  let a = lower, b = upper;
  let { x, fx, w, fw, v, fv } = start;
  let e = start.step, rat = start.step;
  let evaluations = evaluationsSoFar;
  let xm = 0.5 * (a + b);
  let tol1 = sqrtEps * Math.abs(x) + xatol / 3;
  let tol2 = 2 * tol1;
  while (Math.abs(x - xm) > tol2 - 0.5 * (b - a)) {
    if (evaluations >= maxEvaluations) return finish(x, fx, evaluations, "max-evaluations");
    let golden = true;
    if (Math.abs(e) > tol1) {
      // Try a parabola through x, v, w.
      golden = false;
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      r = e;
      e = rat;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        rat = p / q;
        const u = x + rat;
        if (u - a < tol2 || b - u < tol2) rat = xm >= x ? tol1 : -tol1;
      } else {
        golden = true;
      }
    }
    if (golden) {
      e = x >= xm ? a - x : b - x;
      rat = GOLDEN * e;
    }
    const u = x + (Math.abs(rat) >= tol1 ? rat : rat >= 0 ? tol1 : -tol1);
    const fu = f(u);
    evaluations++;
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w; fv = fw;
      w = x; fw = fx;
      x = u; fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w; fv = fw;
        w = u; fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u; fv = fu;
      }
    }
    xm = 0.5 * (a + b);
    tol1 = sqrtEps * Math.abs(x) + xatol / 3;
    tol2 = 2 * tol1;
  }
  // Brent never evaluates the interval's ends; a minimum on a bound is reached only to within
  // tol1, so compare with the ends explicitly.
  for (const end of [lower, upper]) {
    if (Math.abs(end - x) <= 3 * tol1) {
      const fe = f(end);
      evaluations++;
      if (fe <= fx) { x = end; fx = fe; }
    }
  }
  return finish(x, fx, evaluations, Number.isFinite(fx) ? "converged" : "non-finite");
}

/**
 * Minimises f on [lower, upper]: a scan of `scanPoints` equally spaced points, then Brent's
 * method inside the scan cells around the best `dips` local minima of the scan (each refined
 * separately, the lowest result kept). Refining more than one dip matters when two dips of
 * nearly equal depth fall between scan points: the deeper one can look shallower on the scan.
 */
export function minimizeScalar(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: ScalarOptions = {},
): ScalarResult {
  const { xatol = 1e-10, maxEvaluations = 200, scanPoints = 0, dips = 2 } = options;
  if (scanPoints < 2 || lower === upper) return brentBounded(f, lower, upper, xatol, maxEvaluations);
  const step = (upper - lower) / (scanPoints - 1);
  const at = (i: number) => (i === scanPoints - 1 ? upper : lower + i * step);
  const values = new Array<number>(scanPoints);
  for (let i = 0; i < scanPoints; i++) values[i] = f(at(i));
  // Local minima of the scan, deepest first; NaN and Infinity never qualify. A run of equal
  // values counts once: the function is flat there (D_S held at a bound, say), and refining
  // every point of a plateau would only repeat the same search.
  const minima: { index: number; flat: boolean }[] = [];
  for (let i = 0; i < scanPoints;) {
    let j = i;
    while (j + 1 < scanPoints && values[j + 1] === values[i]) j++;
    const v = values[i];
    if (Number.isFinite(v) && (i === 0 || values[i - 1] > v || Number.isNaN(values[i - 1])) &&
      (j === scanPoints - 1 || values[j + 1] > v || Number.isNaN(values[j + 1]))) {
      // Three or more equal values: flat beyond doubt. Two could be a dip centred between them.
      minima.push({ index: i === 0 ? 0 : j === scanPoints - 1 ? j : (i + j) >> 1, flat: j - i >= 2 });
    }
    i = j + 1;
  }
  if (minima.length === 0) {
    return finish(lower, values[0], scanPoints, "non-finite");
  }
  minima.sort((m, n) => values[m.index] - values[n.index] || m.index - n.index);
  let evaluations = scanPoints;
  let best: ScalarResult | null = null;
  for (const { index, flat } of minima.slice(0, Math.max(1, dips))) {
    const local = flat
      ? finish(at(index), values[index], 0, "converged")
      : refineCell(f, values, index, at, step, lower, upper, xatol, maxEvaluations);
    evaluations += local.evaluations;
    if (best === null || local.fun < best.fun) best = local;
  }
  best!.evaluations = evaluations;
  return best!;
}

/** Brent's method in the scan cells on either side of scan point `index`, a local minimum of the scan. */
function refineCell(
  f: (x: number) => number, values: readonly number[], index: number, at: (i: number) => number,
  step: number, lower: number, upper: number, xatol: number, maxEvaluations: number,
): ScalarResult {
  const last = values.length - 1;
  const value = values[index];
  // A scan minimum at an end of the interval: if a step of Brent's resolution inwards does not
  // go lower, the end is the minimum to that resolution. Brent's method would creep up to the
  // bound in some twenty evaluations instead (it never evaluates the end itself), and
  // constrained optima sit on a bound often (an overtrained teacher at D_T = 1e17, say).
  if (index === 0 || index === last) {
    const end = index === 0 ? lower : upper;
    const inward = Math.min(step, 2 * (Math.sqrt(2.2e-16) * Math.abs(end) + xatol / 3));
    const probe = f(index === 0 ? end + inward : end - inward);
    if (!(probe < value)) return finish(end, value, 1, "converged");
    const local = brentBounded(f, index === 0 ? lower : at(last - 1), index === 0 ? at(1) : upper, xatol, maxEvaluations);
    local.evaluations += 1;
    // Brent never evaluates the ends; the scan did, and may have found the lower value there.
    return local.fun <= value ? local : finish(end, value, local.evaluations, "converged");
  }
  // Brent starts from the scan minimum and its two neighbours, so that its first step is already
  // the parabola through them rather than a golden-section step from scratch.
  const a = at(index - 1), b = at(index + 1);
  const left = values[index - 1], right = values[index + 1];
  const [w, fw, v, fv] = left <= right ? [a, left, b, right] : [b, right, a, left];
  return brentFrom(f, a, b, xatol, maxEvaluations, { x: at(index), fx: value, w, fw, v, fv, step: b - a }, 0);
}

function finish(x: number, fun: number, evaluations: number, status: ScalarStatus): ScalarResult {
  const messages: Record<ScalarStatus, string> = {
    "converged": "solution found within the x tolerance",
    "max-evaluations": "stopped at the evaluation limit before reaching the x tolerance",
    "non-finite": "the objective is not finite at the solution",
  };
  return { x, fun, converged: status === "converged", status, message: messages[status], evaluations };
}

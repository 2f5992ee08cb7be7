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
  const sqrtEps = Math.sqrt(2.2e-16);
  let a = lower, b = upper;
  let v = a + GOLDEN * (b - a), w = v, x = v;
  let e = 0, rat = 0;
  let fx = f(x);
  let evaluations = 1;
  let fv = fx, fw = fx;
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
 * Minimises f on [lower, upper]: a scan of `scanPoints` equally spaced points finds the best
 * dip, then Brent's method refines inside the neighbouring scan cells.
 */
export function minimizeScalar(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: ScalarOptions = {},
): ScalarResult {
  const { xatol = 1e-10, maxEvaluations = 200, scanPoints = 0 } = options;
  if (scanPoints < 2 || lower === upper) return brentBounded(f, lower, upper, xatol, maxEvaluations);
  const step = (upper - lower) / (scanPoints - 1);
  let bestIndex = 0;
  let best = Infinity;
  for (let i = 0; i < scanPoints; i++) {
    const value = f(i === scanPoints - 1 ? upper : lower + i * step);
    if (value < best) { best = value; bestIndex = i; }
  }
  // The best scan point is an end of the interval: if a step of Brent's resolution inwards does
  // not go lower, the end is the minimum to that resolution. Brent's method would creep up to
  // the bound in some twenty evaluations instead (it never evaluates the end itself), and
  // constrained optima sit on a bound often (an overtrained teacher at D_T = 1e17, say).
  if (bestIndex === 0 || bestIndex === scanPoints - 1) {
    const end = bestIndex === 0 ? lower : upper;
    const inward = Math.min(step, 2 * (Math.sqrt(2.2e-16) * Math.abs(end) + xatol / 3));
    const probe = f(bestIndex === 0 ? end + inward : end - inward);
    if (Number.isFinite(best) && !(probe < best)) {
      return finish(end, best, scanPoints + 1, "converged");
    }
  }
  const a = bestIndex === 0 ? lower : lower + (bestIndex - 1) * step;
  const b = bestIndex === scanPoints - 1 ? upper : Math.min(upper, lower + (bestIndex + 1) * step);
  const local = brentBounded(f, a, b, xatol, maxEvaluations);
  local.evaluations += scanPoints + (bestIndex === 0 || bestIndex === scanPoints - 1 ? 1 : 0);
  // Brent never evaluates the ends; the scan did, and may have found the lower value there.
  if (!(local.fun <= best) && Number.isFinite(best)) {
    return finish(bestIndex === scanPoints - 1 ? upper : lower + bestIndex * step, best, local.evaluations, "converged");
  }
  return local;
}

function finish(x: number, fun: number, evaluations: number, status: ScalarStatus): ScalarResult {
  const messages: Record<ScalarStatus, string> = {
    "converged": "solution found within the x tolerance",
    "max-evaluations": "stopped at the evaluation limit before reaching the x tolerance",
    "non-finite": "the objective is not finite at the solution",
  };
  return { x, fun, converged: status === "converged", status, message: messages[status], evaluations };
}

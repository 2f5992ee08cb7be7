// Bound-constrained limited-memory quasi-Newton minimisation, with a SciPy-`minimize`-like API.
//
// Method (a projected L-BFGS in the spirit of L-BFGS-B, Byrd, Lu, Nocedal & Zhu 1995):
// - Variables at a bound whose gradient points out of the box are held fixed for the iteration
//   (the active set). The two-loop recursion is applied to the gradient restricted to the free
//   variables, giving the quasi-Newton step d on the free subspace.
// - The trial point P(x + d) (P = projection onto the box) defines a straight feasible segment
//   p = P(x + d) - x. As in L-BFGS-B, the line search runs on that segment (which stays in the
//   box because the box is convex), with the step capped at 1 when the projection clipped and
//   at the distance to the nearest bound otherwise. If p is not a descent direction the
//   projected steepest-descent segment is used instead, after clearing the memory.
// - The line search enforces sufficient decrease (Armijo, c1 = 1e-4) and tries for the strong
//   Wolfe curvature condition (c2 = 0.9) by bracketing and safeguarded cubic interpolation
//   (Nocedal & Wright, Algorithms 3.5/3.6). A step that only gives sufficient decrease is still
//   taken; the pair (s, y) is used only if s.y > eps * y.y, which keeps the inverse Hessian
//   approximation positive definite.
// We did not port the generalised Cauchy point and subspace minimisation of full L-BFGS-B: for
// the small, box-constrained problems of this project (<= 9 variables, simple lower bounds) the
// projected step finds the same optima and is much shorter to get right.

export type MinimizeStatus =
  | "gradient-tolerance"
  | "function-tolerance"
  | "function-target"
  | "max-iterations"
  | "max-evaluations"
  | "line-search-failed"
  | "non-finite";

export interface MinimizeOptions {
  /** Lower bounds (-Infinity for none); defaults to unbounded. */
  lower?: ArrayLike<number>;
  /** Upper bounds (+Infinity for none); defaults to unbounded. */
  upper?: ArrayLike<number>;
  /** Number of (s, y) correction pairs kept. Default 10 (SciPy's default). */
  memory?: number;
  /** Default 15000 (SciPy's maxiter). */
  maxIterations?: number;
  /** Default 15000 (SciPy's maxfun). */
  maxEvaluations?: number;
  /** Stop when the infinity norm of the projected gradient is at most this. Default 1e-5 (SciPy's pgtol). */
  gradientTolerance?: number;
  /**
   * Stop when (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, functionScale) <= functionTolerance.
   * Default 2.220446049250313e-9 (SciPy's ftol, factr = 1e7). 0 disables the test.
   */
  functionTolerance?: number;
  /** Floor of the denominator in the function-tolerance test. Default 1, as in SciPy. */
  functionScale?: number;
  /**
   * Stop (converged) once f <= functionTarget: for objectives bounded below by a known value
   * (a sum of squares that reaches 0 on exact data), where the gradient test is unattainable
   * because the gradient is dominated by rounding long before it gets small. Default -Infinity.
   */
  functionTarget?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  fun: number;
  /** Gradient at x. */
  jac: Float64Array;
  /** Infinity norm of the projected gradient x - P(x - g) at x. */
  projectedGradient: number;
  /** True when a gradient or function tolerance was met. */
  converged: boolean;
  status: MinimizeStatus;
  message: string;
  iterations: number;
  evaluations: number;
}

/** The objective writes its gradient into `grad` and returns its value. It must not keep `x` or `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

const ARMIJO = 1e-4;
const CURVATURE = 0.9;
const MAX_LINE_SEARCH_EVALUATIONS = 20;

export function minimizeBounded(fun: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const m = Math.max(1, Math.floor(options.memory ?? 10));
  const maxIterations = options.maxIterations ?? 15000;
  const maxEvaluations = options.maxEvaluations ?? 15000;
  const pgtol = options.gradientTolerance ?? 1e-5;
  const ftol = options.functionTolerance ?? 2.220446049250313e-9;
  const fscale = options.functionScale ?? 1;
  const target = options.functionTarget ?? -Infinity;

  const lower = new Float64Array(n).fill(-Infinity);
  const upper = new Float64Array(n).fill(Infinity);
  if (options.lower) for (let i = 0; i < n; i++) lower[i] = options.lower[i] ?? -Infinity;
  if (options.upper) for (let i = 0; i < n; i++) upper[i] = options.upper[i] ?? Infinity;
  for (let i = 0; i < n; i++) {
    if (!(lower[i] <= upper[i])) throw new RangeError(`minimizeBounded: lower[${i}] = ${lower[i]} > upper[${i}] = ${upper[i]}`);
  }

  // All work buffers are allocated once; the iteration loop only swaps references.
  let x = new Float64Array(n);
  let g = new Float64Array(n);
  let xTrial = new Float64Array(n);
  let gTrial = new Float64Array(n);
  const direction = new Float64Array(n);
  const segment = new Float64Array(n);
  const free = new Uint8Array(n);
  const sMemory = new Float64Array(m * n);
  const yMemory = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alphas = new Float64Array(m);
  let stored = 0;
  let newest = -1;

  for (let i = 0; i < n; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x0[i]));

  let evaluations = 0;
  let iterations = 0;
  const evaluate = (at: Float64Array, grad: Float64Array): number => {
    evaluations++;
    return fun(at, grad);
  };

  const projectedGradientNorm = (): number => {
    let norm = 0;
    for (let i = 0; i < n; i++) {
      // The projected gradient is x - P(x - g): the move a unit steepest-descent step can make.
      const moved = Math.min(upper[i], Math.max(lower[i], x[i] - g[i])) - x[i];
      const a = Math.abs(moved);
      if (a > norm) norm = a;
    }
    return norm;
  };

  let f = evaluate(x, g);
  const finish = (status: MinimizeStatus, message: string): MinimizeResult => ({
    x: x.slice(), fun: f, jac: g.slice(), projectedGradient: projectedGradientNorm(),
    converged: status === "gradient-tolerance" || status === "function-tolerance" || status === "function-target",
    status, message, iterations, evaluations,
  });
  if (!Number.isFinite(f) || !allFinite(g)) return finish("non-finite", `objective or gradient not finite at the start (f = ${f})`);

  if (projectedGradientNorm() <= pgtol) return finish("gradient-tolerance", "projected gradient below tolerance at the start");
  if (f <= target) return finish("function-target", "objective at or below the target at the start");

  // Line-search state lives here so the closure-free helpers below can share it without allocating.
  let ls: LineSearchState = { accepted: false, t: 0, f: 0, evaluations: 0, wolfe: false };

  for (;;) {
    if (iterations >= maxIterations) return finish("max-iterations", `reached ${maxIterations} iterations`);
    if (evaluations >= maxEvaluations) return finish("max-evaluations", `reached ${maxEvaluations} evaluations`);

    // Active set: at a bound with the gradient pushing outwards.
    for (let i = 0; i < n; i++) {
      const atLower = x[i] <= lower[i] && g[i] > 0;
      const atUpper = x[i] >= upper[i] && g[i] < 0;
      free[i] = atLower || atUpper ? 0 : 1;
    }

    let usedQuasiNewton = stored > 0;
    if (usedQuasiNewton) {
      twoLoop(g, free, sMemory, yMemory, rho, alphas, stored, newest, m, n, direction);
    } else {
      for (let i = 0; i < n; i++) direction[i] = free[i] ? -g[i] : 0;
    }

    let slope = buildSegment(x, direction, lower, upper, g, segment);
    if (!(slope < 0) && usedQuasiNewton) {
      // The quasi-Newton model disagrees with the gradient (curvature information gone stale
      // after the active set changed): drop it and take a projected steepest-descent step.
      stored = 0;
      newest = -1;
      usedQuasiNewton = false;
      for (let i = 0; i < n; i++) direction[i] = free[i] ? -g[i] : 0;
      slope = buildSegment(x, direction, lower, upper, g, segment);
    }
    if (!(slope < 0)) {
      return finish("gradient-tolerance", "no feasible descent direction (projected gradient is zero to rounding)");
    }

    const tMax = maxStep(x, segment, lower, upper);
    let t0 = 1;
    if (!usedQuasiNewton) {
      // Without curvature information a unit step along -g has no natural scale; SciPy starts
      // from 1 / ||g||, which keeps the first trial point within a unit distance.
      let norm = 0;
      for (let i = 0; i < n; i++) norm += segment[i] * segment[i];
      norm = Math.sqrt(norm);
      if (norm > 1) t0 = 1 / norm;
    }
    t0 = Math.min(t0, tMax);

    ls = lineSearch(evaluate, x, f, slope, segment, t0, tMax, xTrial, gTrial, Math.min(MAX_LINE_SEARCH_EVALUATIONS, maxEvaluations - evaluations), ls);

    if (!ls.accepted) {
      if (usedQuasiNewton) {
        // Retry once from steepest descent before giving up: a stale memory is the usual cause.
        stored = 0;
        newest = -1;
        iterations++;
        continue;
      }
      if (evaluations >= maxEvaluations) return finish("max-evaluations", `reached ${maxEvaluations} evaluations`);
      return finish("line-search-failed", "the line search found no decrease along the projected steepest-descent segment");
    }

    // Accept: s = x+ - x, y = g+ - g.
    const slot = (newest + 1) % m;
    const offset = slot * n;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const s = xTrial[i] - x[i];
      const y = gTrial[i] - g[i];
      sMemory[offset + i] = s;
      yMemory[offset + i] = y;
      sy += s * y;
      yy += y * y;
    }
    if (sy > 2.220446049250313e-16 * yy && sy > 0) {
      rho[slot] = 1 / sy;
      newest = slot;
      if (stored < m) stored++;
    }

    const previous = f;
    f = ls.f;
    let swap = x; x = xTrial; xTrial = swap;
    swap = g; g = gTrial; gTrial = swap;
    iterations++;

    if (projectedGradientNorm() <= pgtol) return finish("gradient-tolerance", "projected gradient below tolerance");
    if (f <= target) return finish("function-target", "objective at or below the target");
    if (ftol > 0 && previous - f <= ftol * Math.max(Math.abs(previous), Math.abs(f), fscale)) {
      return finish("function-tolerance", "relative reduction of the objective below tolerance");
    }
  }
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** direction = -H g on the free variables (H from the stored pairs), 0 on the active ones. */
function twoLoop(
  g: Float64Array, free: Uint8Array, S: Float64Array, Y: Float64Array, rho: Float64Array, alphas: Float64Array,
  stored: number, newest: number, m: number, n: number, q: Float64Array,
): void {
  for (let i = 0; i < n; i++) q[i] = free[i] ? g[i] : 0;
  let slot = newest;
  for (let k = 0; k < stored; k++) {
    const off = slot * n;
    let a = 0;
    for (let i = 0; i < n; i++) a += S[off + i] * q[i];
    a *= rho[slot];
    alphas[slot] = a;
    for (let i = 0; i < n; i++) q[i] -= a * Y[off + i];
    slot = slot === 0 ? m - 1 : slot - 1;
  }
  // Initial inverse Hessian gamma I with gamma = s.y / y.y of the newest pair (Nocedal & Wright 7.20).
  const newestOff = newest * n;
  let yy = 0;
  for (let i = 0; i < n; i++) yy += Y[newestOff + i] * Y[newestOff + i];
  const scale = 1 / (rho[newest] * yy);
  for (let i = 0; i < n; i++) q[i] *= scale;
  slot = (newest - stored + 1 + m) % m;
  for (let k = 0; k < stored; k++) {
    const off = slot * n;
    let b = 0;
    for (let i = 0; i < n; i++) b += Y[off + i] * q[i];
    b *= rho[slot];
    const c = alphas[slot] - b;
    for (let i = 0; i < n; i++) q[i] += c * S[off + i];
    slot = (slot + 1) % m;
  }
  for (let i = 0; i < n; i++) q[i] = free[i] ? -q[i] : 0;
}

/** segment = P(x + direction) - x; returns the directional derivative g . segment. */
function buildSegment(
  x: Float64Array, direction: Float64Array, lower: Float64Array, upper: Float64Array, g: Float64Array, segment: Float64Array,
): number {
  let slope = 0;
  for (let i = 0; i < x.length; i++) {
    const target = Math.min(upper[i], Math.max(lower[i], x[i] + direction[i]));
    const s = target - x[i];
    segment[i] = s;
    slope += g[i] * s;
  }
  return slope;
}

/** Largest t with x + t * segment inside the box (>= 1 because the segment ends in the box). */
function maxStep(x: Float64Array, segment: Float64Array, lower: Float64Array, upper: Float64Array): number {
  let t = Infinity;
  for (let i = 0; i < x.length; i++) {
    const s = segment[i];
    if (s > 0) t = Math.min(t, (upper[i] - x[i]) / s);
    else if (s < 0) t = Math.min(t, (lower[i] - x[i]) / s);
  }
  // Extrapolating far past the quasi-Newton step is never useful and risks overflow in the objective.
  return Math.max(1, Math.min(t, 1e10));
}

interface LineSearchState { accepted: boolean; t: number; f: number; evaluations: number; wolfe: boolean }

/**
 * Strong-Wolfe line search on x + t * segment, t in (0, tMax]. If state.accepted, xTrial/gTrial
 * hold the accepted point: the best one satisfying sufficient decrease, or one satisfying the
 * approximate Wolfe conditions.
 */
function lineSearch(
  evaluate: Objective, x: Float64Array, f0: number, slope0: number, segment: Float64Array,
  t0: number, tMax: number, xTrial: Float64Array, gTrial: Float64Array, budget: number, state: LineSearchState,
): LineSearchState {
  const n = x.length;
  let used = 0;
  // Best Armijo point seen so far; kept as a step length and re-evaluated only if needed.
  let bestT = 0;
  let bestF = f0;
  let lastT = -1;
  let lastF = NaN;
  let lastSlope = NaN;

  const at = (t: number): void => {
    for (let i = 0; i < n; i++) xTrial[i] = x[i] + t * segment[i];
    lastF = evaluate(xTrial, gTrial);
    let s = 0;
    for (let i = 0; i < n; i++) s += gTrial[i] * segment[i];
    lastSlope = s;
    lastT = t;
    used++;
  };
  const armijo = (t: number, ft: number): boolean => Number.isFinite(ft) && ft <= f0 + ARMIJO * t * slope0;
  const done = (wolfe: boolean): LineSearchState => {
    if (lastT !== bestT && bestT > 0) at(bestT);
    state.accepted = bestT > 0;
    state.t = bestT; state.f = bestT > 0 ? lastF : f0; state.evaluations = used; state.wolfe = wolfe;
    return state;
  };
  // Near a minimiser, f(x + t p) - f(x) drops below the rounding error of f while the gradient
  // is still informative, and Armijo can no longer be verified. Hager & Zhang's approximate
  // Wolfe conditions (2005) accept such a step on the evidence of the slopes alone: the
  // directional derivative has shrunk, f has not risen beyond rounding. Without this the search
  // stalls at about sqrt(machine epsilon) relative accuracy in x.
  const approximateWolfe = (ft: number, slope: number): boolean =>
    Number.isFinite(ft) && ft <= f0 + 1e-12 * Math.abs(f0) &&
    slope >= CURVATURE * slope0 && slope <= (1 - 2 * ARMIJO) * -slope0;
  const accept = (): LineSearchState => {
    state.accepted = true;
    state.t = lastT; state.f = lastF; state.evaluations = used; state.wolfe = true;
    return state;
  };

  let tPrev = 0;
  let fPrev = f0;
  let slopePrev = slope0;
  let t = t0;
  let lo = 0, flo = f0, slo = slope0, hi = 0, fhi = 0, shi = 0;
  let zooming = false;

  while (!zooming) {
    if (used >= budget) return done(false);
    at(t);
    if (!Number.isFinite(lastF)) {
      // Overshot into a region where the objective overflows: shrink hard and keep bracketing.
      t = tPrev + 0.1 * (t - tPrev);
      if (t - tPrev < 1e-20) return done(false);
      continue;
    }
    if (armijo(t, lastF) && (lastF < bestF || bestT === 0)) { bestT = t; bestF = lastF; }
    if (approximateWolfe(lastF, lastSlope)) return accept();
    if (!armijo(t, lastF) || (lastF >= fPrev && tPrev > 0)) {
      lo = tPrev; flo = fPrev; slo = slopePrev; hi = t; fhi = lastF; shi = lastSlope;
      zooming = true;
      break;
    }
    if (Math.abs(lastSlope) <= -CURVATURE * slope0) return done(true);
    if (lastSlope >= 0) {
      lo = t; flo = lastF; slo = lastSlope; hi = tPrev; fhi = fPrev; shi = slopePrev;
      zooming = true;
      break;
    }
    if (t >= tMax) return done(false);
    tPrev = t; fPrev = lastF; slopePrev = lastSlope;
    t = Math.min(tMax, 4 * t);
  }

  for (;;) {
    if (used >= budget) return done(false);
    const width = Math.abs(hi - lo);
    if (width <= 1e-14 * Math.max(1, Math.abs(lo))) return done(false);
    let trial = cubicMinimizer(lo, flo, slo, hi, fhi, shi);
    const a = Math.min(lo, hi), b = Math.max(lo, hi);
    // Safeguard: keep the trial well inside the bracket, else bisect.
    if (!(trial > a + 0.1 * width && trial < b - 0.1 * width)) trial = 0.5 * (lo + hi);
    at(trial);
    if (approximateWolfe(lastF, lastSlope)) return accept();
    if (!Number.isFinite(lastF) || !armijo(trial, lastF) || lastF >= flo) {
      hi = trial; fhi = Number.isFinite(lastF) ? lastF : Infinity; shi = Number.isFinite(lastSlope) ? lastSlope : 0;
      continue;
    }
    if (lastF < bestF || bestT === 0) { bestT = trial; bestF = lastF; }
    if (Math.abs(lastSlope) <= -CURVATURE * slope0) return done(true);
    if (lastSlope * (hi - lo) >= 0) { hi = lo; fhi = flo; shi = slo; }
    lo = trial; flo = lastF; slo = lastSlope;
  }
}

/** Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db); NaN if it has none. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb)) return NaN;
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}

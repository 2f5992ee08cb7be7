import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { randomLcg } from "d3-random";
import { minimizeBounded, type Objective } from "../src/core/numerics/lbfgsb.js";

const rosenbrock: Objective = (x, grad) => {
  let f = 0;
  grad.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    grad[i] += -400 * a * x[i] - 2 * b;
    grad[i + 1] += 200 * a;
  }
  return f;
};

test("unbounded Rosenbrock reaches (1, ..., 1) from the classic start", () => {
  const r = minimizeBounded(rosenbrock, [-1.2, 1, -1.2, 1, -1.2], { gradientTolerance: 1e-9, functionTolerance: 0 });
  assert.ok(r.converged, r.message);
  for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-6, `${Array.from(r.x)}`);
  assert.ok(r.fun < 1e-12);
  assert.ok(r.evaluations < 400, `took ${r.evaluations} evaluations`);
});

test("bounded Rosenbrock: box containing the optimum, and box cutting it off", () => {
  // Interior: the box does not bind, the answer is the unconstrained one.
  const inside = minimizeBounded(rosenbrock, [-1.2, 1], { lower: [-2, -2], upper: [2, 2], gradientTolerance: 1e-10, functionTolerance: 0 });
  assert.ok(inside.converged, inside.message);
  assert.ok(Math.abs(inside.x[0] - 1) < 1e-6 && Math.abs(inside.x[1] - 1) < 1e-6);

  // x1 <= 0.5 binds. On x1 = 0.5 the minimum over x2 is x2 = 0.25, and there d f / d x1 =
  // -2 (1 - 0.5) < 0 pushes against the upper bound, so (0.5, 0.25) is the KKT point.
  const cut = minimizeBounded(rosenbrock, [-1.2, 1], { lower: [-2, -2], upper: [0.5, 2], gradientTolerance: 1e-10, functionTolerance: 0 });
  assert.ok(cut.converged, cut.message);
  assert.equal(cut.x[0], 0.5);
  assert.ok(Math.abs(cut.x[1] - 0.25) < 1e-8, `${cut.x[1]}`);
  assert.ok(Math.abs(cut.fun - 0.25) < 1e-12);
});

test("an optimum on a lower bound is reached exactly and reported as converged", () => {
  // f = sum (x_i - c_i)^2 with c_i < 0 for even i; x >= 0 puts those at exactly 0.
  const c = [-1, 2, -3, 0.5, -0.1, 4];
  const f: Objective = (x, grad) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      s += (x[i] - c[i]) ** 2;
      grad[i] = 2 * (x[i] - c[i]);
    }
    return s;
  };
  const r = minimizeBounded(f, [5, 5, 5, 5, 5, 5], { lower: new Array(6).fill(0) });
  assert.ok(r.converged, r.message);
  for (let i = 0; i < c.length; i++) {
    if (c[i] < 0) assert.equal(r.x[i], 0);
    else assert.ok(Math.abs(r.x[i] - c[i]) < 1e-6);
  }
  // Starting on the bound with the gradient pushing out must not move those coordinates.
  const fromBound = minimizeBounded(f, [0, 0, 0, 0, 0, 0], { lower: new Array(6).fill(0) });
  assert.equal(fromBound.x[0], 0);
  assert.equal(fromBound.x[2], 0);
});

/**
 * A strictly convex box-constrained quadratic with a planted solution: pick Q = M M^T + I, a
 * point x*, and for each coordinate whether it is free, at its lower bound or at its upper bound;
 * then choose the linear term so the KKT conditions hold at x* with strictly positive multipliers.
 */
function plantedQuadratic(seed: number, n: number) {
  const rng = randomLcg(seed);
  const M = Array.from({ length: n * n }, () => rng() * 2 - 1);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      Q[i * n + j] = s;
    }
  }
  const lower = new Float64Array(n), upper = new Float64Array(n), xStar = new Float64Array(n);
  const gradientAtStar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = -1 - rng() * 3;
    upper[i] = 1 + rng() * 3;
    const kind = rng();
    if (kind < 0.3) { xStar[i] = lower[i]; gradientAtStar[i] = 0.1 + rng(); }
    else if (kind < 0.5) { xStar[i] = upper[i]; gradientAtStar[i] = -0.1 - rng(); }
    else { xStar[i] = lower[i] + (0.1 + 0.8 * rng()) * (upper[i] - lower[i]); gradientAtStar[i] = 0; }
  }
  // grad f = Q x - b  =>  b = Q x* - grad f(x*)
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Q[i * n + j] * xStar[j];
    b[i] = s - gradientAtStar[i];
  }
  const f: Objective = (x, grad) => {
    let value = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Q[i * n + j] * x[j];
      grad[i] = s - b[i];
      value += 0.5 * x[i] * s - b[i] * x[i];
    }
    return value;
  };
  return { f, lower, upper, xStar };
}

test("random convex quadratics with planted solutions on and off the bounds", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 12 }), (seed, n) => {
      const { f, lower, upper, xStar } = plantedQuadratic(seed, n);
      const x0 = Array.from({ length: n }, (_, i) => (lower[i] + upper[i]) / 2);
      const r = minimizeBounded(f, x0, { lower, upper, gradientTolerance: 1e-10, functionTolerance: 0, memory: 5 });
      assert.ok(r.converged, `seed ${seed}, n ${n}: ${r.status} ${r.message}`);
      for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(r.x[i] - xStar[i]) < 1e-7, `seed ${seed}, n ${n}: x[${i}] = ${r.x[i]} vs ${xStar[i]}`);
        assert.ok(r.x[i] >= lower[i] && r.x[i] <= upper[i]);
      }
    }),
    { numRuns: 200, seed: 3 },
  );
});

test("iterates never leave the box, even from an infeasible start", () => {
  const lower = [0.2, -0.5, 1];
  const upper = [0.8, 0.5, 3];
  let violations = 0;
  const f: Objective = (x, grad) => {
    for (let i = 0; i < 3; i++) if (x[i] < lower[i] || x[i] > upper[i]) violations++;
    return rosenbrock(x, grad);
  };
  const r = minimizeBounded(f, [-10, 10, 10], { lower, upper });
  assert.equal(violations, 0);
  assert.ok(r.converged, r.message);
});

test("the stopping rules report what stopped them", () => {
  const tight = { gradientTolerance: 0, functionTolerance: 0 };
  assert.equal(minimizeBounded(rosenbrock, [-1.2, 1], { ...tight, maxIterations: 3 }).status, "max-iterations");
  const byEvaluations = minimizeBounded(rosenbrock, [-1.2, 1], { ...tight, maxEvaluations: 10 });
  assert.equal(byEvaluations.status, "max-evaluations");
  assert.ok(byEvaluations.evaluations <= 10 + 1);
  const loose = minimizeBounded(rosenbrock, [-1.2, 1], { gradientTolerance: 0, functionTolerance: 1e-3 });
  assert.equal(loose.status, "function-tolerance");
  assert.ok(loose.converged);
  const atOptimum = minimizeBounded(rosenbrock, [1, 1]);
  assert.equal(atOptimum.status, "gradient-tolerance");
  assert.equal(atOptimum.iterations, 0);
  const target = minimizeBounded(rosenbrock, [-1.2, 1], { ...tight, functionTarget: 1e-3 });
  assert.equal(target.status, "function-target");
  assert.ok(target.converged && target.fun <= 1e-3);
  const nan = minimizeBounded((_x, g) => { g.fill(0); return NaN; }, [0]);
  assert.equal(nan.status, "non-finite");
  assert.equal(nan.converged, false);
});

test("a gradient inconsistent with the function ends in a line-search failure, not a hang", () => {
  // The reported gradient points uphill, so no step along -g decreases f.
  const r = minimizeBounded((x, g) => { g[0] = -2 * x[0]; return x[0] * x[0]; }, [1]);
  assert.equal(r.status, "line-search-failed");
  assert.equal(r.converged, false);
});

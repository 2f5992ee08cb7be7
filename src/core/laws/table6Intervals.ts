// The 90% bootstrap intervals the paper publishes beside its Table 6 point estimates (docs/spec.md
// section 3), and the row layout of that table. The point estimates themselves live once, in
// TABLE6 (laws.ts); this module adds only what TABLE6 does not carry.

import type { DistillationCoefficients, SupervisedCoefficients } from "./laws.js";

export interface PaperInterval {
  lower: number;
  upper: number;
}

export const TABLE6_INTERVALS: {
  supervised: Readonly<Record<keyof SupervisedCoefficients, PaperInterval>>;
  distillation: Readonly<Record<keyof DistillationCoefficients, PaperInterval>>;
} = Object.freeze({
  supervised: Object.freeze({
    A: { lower: 3346, upper: 3360 },
    B: { lower: 18157, upper: 18236 },
    E: { lower: 1.190, upper: 1.247 },
    alpha: { lower: 0.405, upper: 0.411 },
    beta: { lower: 0.428, upper: 0.433 },
    gamma: { lower: 0.442, upper: 0.461 },
  }),
  distillation: Object.freeze({
    A: { lower: 2227, upper: 2255 },
    B: { lower: 24084, upper: 24266 },
    alpha: { lower: 0.319, upper: 0.324 },
    beta: { lower: 0.634, upper: 0.640 },
    gamma: { lower: 0.732, upper: 0.788 },
    c0: { lower: 2.425, upper: 2.615 },
    // The paper's interval for c1 is a single point: every resample returned the same value.
    c1: { lower: 522.6, upper: 522.6 },
    f1: { lower: 0.088, upper: 0.093 },
    d1: { lower: 1.302, upper: 1.327 },
  }),
});

/** Runs behind the paper's fits (Table 6's last row). */
export const TABLE6_RUNS = Object.freeze({ supervised: 73, distillation: 697 });

/**
 * Table 6's rows in the paper's order: each names the supervised and the distillation coefficient
 * it holds (A / A', ...), or null where that column is blank.
 */
export const TABLE6_ROWS: readonly {
  label: string;
  supervised: keyof SupervisedCoefficients | null;
  distillation: keyof DistillationCoefficients | null;
}[] = Object.freeze([
  { label: "A / A′", supervised: "A", distillation: "A" },
  { label: "B / B′", supervised: "B", distillation: "B" },
  { label: "E", supervised: "E", distillation: null },
  { label: "α / α′", supervised: "alpha", distillation: "alpha" },
  { label: "β / β′", supervised: "beta", distillation: "beta" },
  { label: "γ / γ′", supervised: "gamma", distillation: "gamma" },
  { label: "c₀", supervised: null, distillation: "c0" },
  { label: "c₁", supervised: null, distillation: "c1" },
  { label: "f₁", supervised: null, distillation: "f1" },
  { label: "d₁", supervised: null, distillation: "d1" },
]);

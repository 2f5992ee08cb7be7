// Plausible members (docs/spec.md section 10): an ensemble member that predicts the impossible
// anywhere in the planning box is left out and counted like an unusable refit. Over a log grid of
// the box (N, D, N_S, D_S in the optimiser's bounds; L_T from the member's own L(hi, hi) to
// L(lo, lo), the teacher losses the best case searches): L(N, D) and L_S(N_S, D_S, L_T) finite, at
// most ln(n_vocab), L at least E, L_S at least L_T, and neither rising with N, D, N_S or D_S.
// Members that agree inside the runs can diverge without limit outside; these checks remove the
// ones whose divergence is physically impossible, not those that are merely far apart.

import { distilledLoss, supervisedLoss } from "../laws/laws.js";
import { DEFAULT_BOUNDS } from "../allocation/optimizer.js";
import { DEFAULT_FLOPS_MODEL } from "../laws/flops.js";
import type { CoefficientEnsemble, EnsembleMember } from "./ensemble.js";

export interface PlausibilityOptions {
  /** The planning box of N, D, N_S and D_S. Default the optimiser's [1e6, 1e17]. */
  bounds?: readonly [number, number];
  /** Default the FLOPs model's 32168. */
  nVocab?: number;
  /** Grid points per variable (log-spaced). Default 13. */
  gridPoints?: number;
}

/** Relative slack for rounding: a loss "rises" only by more than this. */
const TOLERANCE = 1e-9;

function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + (i / (n - 1)) * (Math.log(hi) - Math.log(lo))));
}

/** Why a member is implausible (the first impossible prediction found), or null when it is plausible. */
export function implausibility(member: EnsembleMember, options: PlausibilityOptions = {}): string | null {
  const [lo, hi] = options.bounds ?? DEFAULT_BOUNDS;
  const ceiling = Math.log(options.nVocab ?? DEFAULT_FLOPS_MODEL.nVocab);
  const n = options.gridPoints ?? 13;
  const grid = logGrid(lo, hi, n);
  const s = member.supervised;
  const at = (N: number, D: number) => `N = ${N.toExponential(1)}, D = ${D.toExponential(1)}`;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const L = supervisedLoss(s, grid[i], grid[j]);
      if (!Number.isFinite(L)) return `supervised loss not finite at ${at(grid[i], grid[j])}`;
      if (L > ceiling) return `supervised loss ${L.toPrecision(4)} above ln(n_vocab) = ${ceiling.toFixed(2)} at ${at(grid[i], grid[j])}`;
      if (L < s.E * (1 - TOLERANCE)) return `supervised loss below E at ${at(grid[i], grid[j])}`;
      if (i > 0 && L > supervisedLoss(s, grid[i - 1], grid[j]) * (1 + TOLERANCE)) return `supervised loss rises with N at ${at(grid[i], grid[j])}`;
      if (j > 0 && L > supervisedLoss(s, grid[i], grid[j - 1]) * (1 + TOLERANCE)) return `supervised loss rises with D at ${at(grid[i], grid[j])}`;
    }
  }
  const teacherLosses = logGrid(supervisedLoss(s, hi, hi), supervisedLoss(s, lo, lo), Math.max(3, n >> 1));
  for (const LT of teacherLosses) {
    const LS = (N: number, D: number) => distilledLoss(member, N, D, LT);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const where = `${at(grid[i], grid[j]).replace(/N =/, "N_S =").replace(/D =/, "D_S =")}, L_T = ${LT.toFixed(3)}`;
        const value = LS(grid[i], grid[j]);
        if (!Number.isFinite(value)) return `distilled loss not finite at ${where}`;
        if (value > ceiling) return `distilled loss ${value.toPrecision(4)} above ln(n_vocab) = ${ceiling.toFixed(2)} at ${where}`;
        if (value < LT * (1 - TOLERANCE)) return `distilled loss below the teacher's at ${where}`;
        if (i > 0 && value > LS(grid[i - 1], grid[j]) * (1 + TOLERANCE)) return `distilled loss rises with N_S at ${where}`;
        if (j > 0 && value > LS(grid[i], grid[j - 1]) * (1 + TOLERANCE)) return `distilled loss rises with D_S at ${where}`;
      }
    }
  }
  return null;
}

/** Counts the implausible members (with the first reason), keeping every member. */
export function countImplausibleMembers<E extends CoefficientEnsemble>(
  ensemble: E, options: PlausibilityOptions = {},
): E & { implausible: number; implausibleReason: string | null } {
  const { implausible, implausibleReason } = withoutImplausibleMembers(ensemble, options);
  return { ...ensemble, implausible, implausibleReason };
}

/** The plausible members kept; the others counted in `leftOut` and `implausible` (with the first reason). */
export function withoutImplausibleMembers<E extends CoefficientEnsemble>(
  ensemble: E, options: PlausibilityOptions = {},
): E & { implausible: number; implausibleReason: string | null } {
  const members: EnsembleMember[] = [];
  let implausible = 0;
  let implausibleReason: string | null = null;
  for (const member of ensemble.members) {
    const reason = implausibility(member, options);
    if (reason === null) members.push(member);
    else {
      implausible++;
      implausibleReason ??= reason;
    }
  }
  return { ...ensemble, members, leftOut: ensemble.leftOut + implausible, implausible, implausibleReason };
}

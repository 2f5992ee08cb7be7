// Where to split a reader's runs for the extrapolation check of Figure 5. The paper's loss
// cut-offs (L >= 2.2, L_S >= 2.3) suit the paper's runs; runs of another tokenizer or data set may
// all lie above them (nothing held out) or all below (nothing to fit). Instead the strongest
// fraction of the runs (lowest loss) is held out and the rest fitted, as the paper's split does.

export interface ExtrapolationSplit {
  /** Runs with loss >= threshold are fitted; the others are held out. */
  threshold: number;
  fitted: number;
  heldOut: number;
}

/**
 * The threshold holding out about `fraction` of the runs with the lowest losses (at least one),
 * so that runs of equal loss fall on one side: the cut moves up past ties, or, when no cut at or
 * above that fraction leaves `minimumFitted` runs (the law's free coefficients) to fit, down to the
 * nearest cut that does. Null when no cut holds out a run and fits that many: then the check is
 * skipped, and `splitProblem` says why.
 */
export function strongestFractionSplit(losses: readonly number[], minimumFitted: number, fraction = 0.2): ExtrapolationSplit | null {
  const sorted = [...losses].sort((a, b) => a - b);
  const n = sorted.length;
  const target = Math.max(1, Math.round(n * fraction));
  const splitAt = (heldOut: number): ExtrapolationSplit | null =>
    heldOut >= 1 && heldOut < n && sorted[heldOut] !== sorted[heldOut - 1] && n - heldOut >= minimumFitted
      ? { threshold: sorted[heldOut], fitted: n - heldOut, heldOut }
      : null;
  for (let heldOut = target; heldOut < n; heldOut++) {
    const split = splitAt(heldOut);
    if (split) return split;
  }
  for (let heldOut = Math.min(target, n) - 1; heldOut >= 1; heldOut--) {
    const split = splitAt(heldOut);
    if (split) return split;
  }
  return null;
}

/** Why strongestFractionSplit found no split, for the reader. */
export function splitProblem(law: string, runs: number, minimumFitted: number, fraction = 0.2): string {
  return `the ${law} check needs at least ${minimumFitted} runs to fit after holding out the strongest ${Math.round(fraction * 100)}% ` +
    `(lowest loss) and at least one run of lower loss than those fitted; the file has ${runs} run${runs === 1 ? "" : "s"}, so the check is skipped`;
}

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
 * so that runs of equal loss fall on one side. Null when no threshold holds out at least one run
 * and fits `minimumFitted` (the law's free coefficients): then the check is skipped, and
 * `splitProblem` says why.
 */
export function strongestFractionSplit(losses: readonly number[], minimumFitted: number, fraction = 0.2): ExtrapolationSplit | null {
  const sorted = [...losses].sort((a, b) => a - b);
  const n = sorted.length;
  for (let heldOut = Math.max(1, Math.round(n * fraction)); heldOut < n; heldOut++) {
    // Move the cut up past ties: a loss is held out or fitted, never both.
    if (sorted[heldOut] === sorted[heldOut - 1]) continue;
    const fitted = n - heldOut;
    return fitted >= minimumFitted ? { threshold: sorted[heldOut], fitted, heldOut } : null;
  }
  return null;
}

/** Why strongestFractionSplit found no split, for the reader. */
export function splitProblem(law: string, runs: number, minimumFitted: number, fraction = 0.2): string {
  return `the ${law} check needs at least ${minimumFitted} runs to fit after holding out the strongest ${Math.round(fraction * 100)}% ` +
    `(lowest loss) and at least one run of lower loss than those fitted; the file has ${runs} run${runs === 1 ? "" : "s"}, so the check is skipped`;
}

// The two per-run computations that the supervised (Eq. 44) and distillation (Eq. 49) fit
// objectives share: the capacity term LSE(log A - alpha log N, log B - beta log D) and the Huber
// sum of the log-loss residuals. Each is a pass over all runs into typed arrays, called once per
// objective evaluation: the objectives' own loops stay free of per-run function calls, since
// they run some 10^5-10^6 times per fit and V8 does not reliably inline calls there.
//
// Both passes do the same floating-point operations, in the same order, as the fused loops
// they replaced, so fits are unchanged to the last bit.

/**
 * Named per-run columns for the intermediates of one objective evaluation. A data set allocates
 * them once and every evaluation overwrites them: the fit evaluates the objective too often to
 * allocate per call.
 */
export type ScratchColumns<K extends string> = Readonly<Record<K, Float64Array>>;

export function scratchColumns<K extends string>(runs: number, names: readonly K[]): ScratchColumns<K> {
  return Object.fromEntries(names.map((name) => [name, new Float64Array(runs)])) as Record<K, Float64Array>;
}

/** The capacity term per run, and its softmax weights (what the gradient needs). */
export class CapacityTerm {
  /** LSE(log A - alpha log N, log B - beta log D). */
  readonly inner: Float64Array;
  /** d inner / d (log A - alpha log N). */
  readonly modelShare: Float64Array;
  /** d inner / d (log B - beta log D); 0 for infinite data. */
  readonly dataShare: Float64Array;

  constructor(runs: number) {
    this.inner = new Float64Array(runs);
    this.modelShare = new Float64Array(runs);
    this.dataShare = new Float64Array(runs);
  }

  /**
   * Fills the three columns for the runs' log N and log D. D = infinity (log D = infinity) drops
   * the data term, as in Eq. 35. One exp per run serves the LSE and both weights.
   */
  fill(logA: number, logB: number, alpha: number, beta: number, logN: Float64Array, logD: Float64Array): void {
    const { inner, modelShare, dataShare } = this;
    for (let i = 0; i < logN.length; i++) {
      const model = logA - alpha * logN[i];
      const ld = logD[i];
      const data = ld === Infinity ? -Infinity : logB - beta * ld;
      const modelLeads = model >= data;
      const e = modelLeads ? Math.exp(data - model) : Math.exp(model - data);
      const leading = 1 / (1 + e);
      inner[i] = (modelLeads ? model : data) + Math.log1p(e);
      modelShare[i] = modelLeads ? leading : e * leading;
      dataShare[i] = modelLeads ? e * leading : leading;
    }
  }
}

/**
 * Sum over runs of weight * Huber_delta(logPredicted - logObserved). If `slope` is given, it
 * receives weight * Huber'(residual) per run, which the objectives chain into their gradients.
 */
export function huberSum(
  logPredicted: Float64Array, logObserved: Float64Array, weight: Float64Array, delta: number, slope: Float64Array | null,
): number {
  let total = 0;
  for (let i = 0; i < logPredicted.length; i++) {
    const r = logPredicted[i] - logObserved[i];
    const w = weight[i];
    const a = r < 0 ? -r : r;
    if (a <= delta) {
      total += w * 0.5 * r * r;
      if (slope !== null) slope[i] = w * r;
    } else {
      total += w * delta * (a - 0.5 * delta);
      if (slope !== null) slope[i] = r > 0 ? w * delta : -w * delta;
    }
  }
  return total;
}

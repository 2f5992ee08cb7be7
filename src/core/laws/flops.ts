// The FLOPs model of Appendix H: forward FLOPs per token F(N) of Eq. 69 for the paper's
// fixed-aspect-ratio transformers, or the common F(N) = 2N (C = 6ND).

export interface FlopsModel {
  /** "eq69" adds attention and vocabulary terms to 2N; "2N" is the usual C = 6ND accounting. */
  form: "eq69" | "2N";
  /** d_model / n_layers. */
  rhoModel: number;
  /** Context length. */
  nCtx: number;
  /** Vocabulary size. */
  nVocab: number;
  /** Grouped-query attention group size (1: multi-head attention). */
  gSize: number;
  /** Number of feed-forward matrices (3 for gated units). */
  nFfn: number;
  /** d_ff / d_model. */
  rhoFfn: number;
}

export const DEFAULT_FLOPS_MODEL: Readonly<FlopsModel> = Object.freeze({
  form: "eq69",
  rhoModel: 128,
  nCtx: 4096,
  nVocab: 32168,
  gSize: 1,
  nFfn: 3,
  rhoFfn: 8 / 3,
});

export function flopsModel(overrides: Partial<FlopsModel> = {}): FlopsModel {
  const model = { ...DEFAULT_FLOPS_MODEL, ...overrides };
  for (const key of ["rhoModel", "nCtx", "nVocab", "gSize", "nFfn", "rhoFfn"] as const) {
    const value = model[key];
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`FLOPs model: ${key} must be a positive finite number, got ${value}`);
    }
  }
  if (model.form !== "eq69" && model.form !== "2N") {
    throw new RangeError(`FLOPs model: form must be "eq69" or "2N", got ${String(model.form)}`);
  }
  return model;
}

/** The sigma1, sigma2 and omega of Eq. 69 for a FLOPs model. */
export function flopsShapeConstants(model: FlopsModel): { omega: number; sigma1: number; sigma2: number } {
  const omega = 2 + 2 / model.gSize + model.nFfn * model.rhoFfn;
  return {
    omega,
    sigma1: Math.cbrt(1 / (model.rhoModel * omega * omega)),
    sigma2: Math.cbrt(model.rhoModel / omega),
  };
}

/** F(N): forward FLOPs per token of a model with N non-embedding parameters. */
export type ForwardFlops = (N: number) => number;

/**
 * Returns F(N), the forward FLOPs per token of a model with N non-embedding parameters.
 * The function is built once per model so hot loops pay only for the arithmetic.
 */
export function forwardFlopsFunction(model: FlopsModel = DEFAULT_FLOPS_MODEL): ForwardFlops {
  if (model.form === "2N") return (N) => 2 * N;
  const { sigma1, sigma2 } = flopsShapeConstants(model);
  const contextCoefficient = sigma1 * model.nCtx;
  const vocabularyCoefficient = sigma2 * model.nVocab;
  return (N) => {
    const cubeRoot = Math.cbrt(N);
    return 2 * N * (1 + contextCoefficient / cubeRoot + vocabularyCoefficient / (cubeRoot * cubeRoot));
  };
}

/** F(N) of Eq. 69 (or 2N), forward FLOPs per token. */
export function forwardFlopsPerToken(N: number, model: FlopsModel = DEFAULT_FLOPS_MODEL): number {
  return forwardFlopsFunction(model)(N);
}

/** Training costs a forward and a backward pass (2F): 3F(N) per token. */
export function trainingFlops(N: number, D: number, model: FlopsModel = DEFAULT_FLOPS_MODEL): number {
  return 3 * forwardFlopsPerToken(N, model) * D;
}

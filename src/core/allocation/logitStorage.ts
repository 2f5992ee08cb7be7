// Storing the teacher's logits (Appendix G.4): the bytes the teacher-pretraining scenarios' stored
// logits take for D_S tokens. Full distribution: n_vocab values per token; top-k: k values and k
// vocabulary indices per token. Truncation's cost in loss is not a law: the paper measured it
// (Figure 54) at the sizes below, and that is all that is known.

export interface LogitStorageOptions {
  /** "full" or top-k with `k` kept per token. */
  form: "full" | "top-k";
  k?: number;
  /** Bytes per stored value: 2 for bf16/fp16, 4 for fp32, 1 for 8-bit. */
  bytesPerValue: number;
  vocabularySize: number;
}

export interface LogitStorage {
  bytesPerToken: number;
  totalBytes: number;
  /** Bytes per vocabulary index (the smallest whole number of bytes that holds n_vocab - 1). */
  indexBytes: number;
}

export function logitStorage(studentTokens: number, options: LogitStorageOptions): LogitStorage {
  const { form, bytesPerValue, vocabularySize } = options;
  if (!(studentTokens >= 0 && Number.isFinite(studentTokens))) throw new RangeError(`tokens must be a finite number >= 0, got ${studentTokens}`);
  if (!(bytesPerValue > 0)) throw new RangeError(`bytes per value must be positive, got ${bytesPerValue}`);
  if (!(Number.isInteger(vocabularySize) && vocabularySize >= 2)) throw new RangeError(`vocabulary size must be a whole number >= 2, got ${vocabularySize}`);
  const indexBytes = Math.max(1, Math.ceil(Math.log2(vocabularySize) / 8));
  let bytesPerToken: number;
  if (form === "full") bytesPerToken = vocabularySize * bytesPerValue;
  else {
    const k = options.k ?? 128;
    if (!(Number.isInteger(k) && k >= 1 && k <= vocabularySize)) throw new RangeError(`top-k: k must be a whole number from 1 to the vocabulary size ${vocabularySize}, got ${k}`);
    bytesPerToken = k * (bytesPerValue + indexBytes);
  }
  return { bytesPerToken, totalBytes: bytesPerToken * studentTokens, indexBytes };
}

/** Figure 54's measurements: the paper's numbers at the pairs it tested, not a law. */
export const FIGURE54_MEASUREMENTS = Object.freeze([
  { method: "top-k, k = 128", lambda: 1, lossIncrease: "+0.11 nats", against: "full distribution (k = 32768)" },
  { method: "top-p, p = 0.9", lambda: 1, lossIncrease: "+0.13 nats", against: "p = 1.0" },
  { method: "top-k, k = 128 mixed with next-token loss", lambda: 0.7, lossIncrease: "within 0.01 nats", against: "full distribution" },
]);
export const FIGURE54_SIZES = "student-teacher pairs N_S in {198M, 546M, 1.82B} with N_T in {7.75B, 1.82B, 546M}";

/** Appendix G's recipe, each finding with where the paper shows it. */
export const DISTILLATION_RECIPE = Object.freeze([
  { finding: "Pure distillation, λ = 1 (no next-token loss mixed in): student loss is flat for λ > 0.5; λ < 1 helps only with very weak teachers", where: "Appendix G.1, Figure 51" },
  { finding: "Temperature τ = 1 at every scale tested", where: "Appendix G.2, Figure 52" },
  { finding: "Learning rate as in supervised training under µP (η = 0.01 transfers)", where: "Appendix G.3, Figure 53" },
  { finding: "Forward KL, D_KL(p_T || q_S), over reverse KL (0.28 nats better on average)", where: "Appendix G.5, Table 7" },
  { finding: "Truncated logits (top-k, top-p) cost loss unless mixed with next-token prediction (top-128 with λ = 0.7)", where: "Appendix G.4, Figure 54" },
]);

/** "1.23 TB" in decimal units. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
  let i = 0, x = bytes;
  while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
  return `${x >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${units[i]}`;
}

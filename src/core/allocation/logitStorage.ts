// Storing the teacher's logits (Appendix G.4): the bytes the teacher-pretraining scenarios' stored
// logits take for D_S tokens. Full distribution: n_vocab values per token; top-k: k values and k
// vocabulary indices per token. Truncation's cost in loss is not a law: the paper measured it
// (Figure 54) at the sizes below, and that is all that is known.

import { formatQuantity } from "../inputs/units.js";

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

/** Figure 54's top-128 truncation cost (pure distillation, lambda = 1): +0.11 nats against the full distribution. */
export const TOP128_TRUNCATION_NATS = 0.11;

/** What storing a shared teacher's logits takes, beside what sharing gains. */
export interface StoredLogitsCost {
  studentTokens: number;
  /** The full distribution in bf16 (2 bytes per value). */
  fullBytes: number;
  /** Top-128 values in bf16 and their indices. */
  top128Bytes: number;
  /** L_S below supervised training's at the same budget (positive: distillation is better). */
  gainOverSupervised: number;
  /** Figure 54's measured cost of top-128 truncation, for comparison only (not a law). */
  top128TruncationNats: number;
  /** True when the measured truncation cost exceeds the gain: storing top-128 would undo it. */
  truncationExceedsGain: boolean;
}

/** The storage a stored-logits row needs for its D_S, in bf16, and Figure 54's truncation cost beside its gain. */
export function storedLogitsCost(studentTokens: number, differenceToSupervised: number, vocabularySize: number): StoredLogitsCost {
  if (!Number.isFinite(differenceToSupervised)) throw new RangeError(`difference to supervised must be finite, got ${differenceToSupervised}`);
  const vocabulary = Math.round(vocabularySize);
  const full = logitStorage(studentTokens, { form: "full", bytesPerValue: 2, vocabularySize: vocabulary });
  const top = logitStorage(studentTokens, { form: "top-k", k: Math.min(128, vocabulary), bytesPerValue: 2, vocabularySize: vocabulary });
  const gainOverSupervised = -differenceToSupervised;
  return {
    studentTokens, fullBytes: full.totalBytes, top128Bytes: top.totalBytes, gainOverSupervised,
    top128TruncationNats: TOP128_TRUNCATION_NATS, truncationExceedsGain: TOP128_TRUNCATION_NATS > gainOverSupervised,
  };
}

/** One sentence: the storage and the truncation cost beside the gain. */
export function describeStoredLogitsCost(cost: StoredLogitsCost): string {
  const gain = cost.gainOverSupervised > 0
    ? `a gain of ${cost.gainOverSupervised.toFixed(4)} nats over supervised training`
    : `no gain over supervised training (${(-cost.gainOverSupervised).toFixed(4)} nats worse)`;
  return `Stored logits for D_S = ${formatQuantity(cost.studentTokens)} tokens take ${formatBytes(cost.fullBytes)} as full distributions in bf16 ` +
    `(${formatBytes(cost.top128Bytes)} as top-128 values and indices), for ${gain}. ` +
    `Figure 54 measured +${cost.top128TruncationNats} nats for top-128 truncation (at the sizes it tested, not a law)` +
    (cost.truncationExceedsGain ? ": truncating to save storage would cost more than sharing gains." : ".");
}

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

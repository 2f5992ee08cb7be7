// Reading typed numbers into values: the one set of parsers behind every field of the site and
// every numeric argument of the CLI, so that both accept the same forms, hold values to the same
// ranges (inputLimits.ts) and refuse with the same words.

import { table13Model } from "../laws/table13.js";
import { INPUT_LIMITS, type InputLimit } from "./inputLimits.js";
import { QUANTITY_FORMS, formatQuantity, readQuantity } from "./units.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/**
 * The FLOPs model's architecture parameters (Eq. 69) as typed: the site's field (and address key),
 * the CLI's argument (the field with dashes), the model's key and the limit both are held to.
 */
export const ARCHITECTURE_INPUTS = [
  { field: "n_ctx", key: "nCtx", limit: INPUT_LIMITS.contextLength },
  { field: "n_vocab", key: "nVocab", limit: INPUT_LIMITS.vocabularySize },
  { field: "rho_model", key: "rhoModel", limit: INPUT_LIMITS.rhoModel },
  { field: "g_size", key: "gSize", limit: INPUT_LIMITS.groupSize },
  { field: "n_ffn", key: "nFfn", limit: INPUT_LIMITS.feedForwardMatrices },
  { field: "rho_ffn", key: "rhoFfn", limit: INPUT_LIMITS.rhoFfn },
] as const;

/** Peak dense bf16 throughput per GPU from the vendors' datasheets, FLOP/s. */
export const GPU_PRESETS: Readonly<Record<string, number>> = Object.freeze({
  H100: 989e12,
  H200: 989e12,
  A100: 312e12,
  MI300X: 1307e12,
});

/**
 * A number as typed, or a fraction of two ("8/3"): any sign, refused only when it is not a number
 * (the message names the accepted forms) or too large for one. `what` names the quantity with an
 * example ("a budget in FLOPs, such as 3e22").
 */
export function parseNumber(text: string, what: string): Parsed<number> {
  const shown = text.trim();
  if (shown === "") return fail(`Type ${what}.`);
  const fraction = /^([^/]+)\/([^/]+)$/.exec(shown);
  const readings = fraction ? [readQuantity(fraction[1]), readQuantity(fraction[2])] : [readQuantity(shown)];
  if (readings.some((r) => r.kind === "overflow")) return fail(`“${shown}” is a number too large to compute with: type ${what}.`);
  const invalid = readings.find((r) => r.kind === "invalid");
  if (invalid && invalid.kind === "invalid") {
    const why = invalid.reason === "not a number" || invalid.reason === "empty" ? "is not a number:" : `is not accepted: ${invalid.reason};`;
    return fail(`“${shown}” ${why} type ${what}. Accepted forms: ${QUANTITY_FORMS}.`);
  }
  const [a, b] = readings.map((r) => (r.kind === "number" ? r.value : NaN));
  const value = fraction ? a / b : a;
  if (!Number.isFinite(value)) return fail(`“${shown}” is not a finite number: type ${what}.`);
  return ok(value === 0 ? 0 : value);
}

/** A positive number (parseNumber's forms); zero and negative numbers are refused as such. */
export function parsePositive(text: string, what: string): Parsed<number> {
  const parsed = parseNumber(text, what);
  if (parsed.ok && !(parsed.value > 0)) return fail(`“${text.trim()}” is not positive: type ${what}.`);
  return parsed;
}

/** "1M to 100T parameters": a limit's range as the pages and the CLI state it. */
export function describeLimit(limit: InputLimit): string {
  return `${formatQuantity(limit.min)} to ${formatQuantity(limit.max)}${limit.unit ? ` ${limit.unit}` : ""}`;
}

/** A value against a limit: null inside it, else the message ("too large: ... accepted from ..."). */
export function limitProblem(value: number, limit: InputLimit, shown: string): string | null {
  if (value >= limit.min && value <= limit.max) return null;
  const why = value <= 0 && limit.min > 0 ? "not positive" : value < limit.min ? "too small" : "too large";
  return `“${shown}” is ${why}: ${limit.what} is accepted from ${describeLimit(limit)}.`;
}

/**
 * A number within one of the accepted ranges of inputLimits.ts: the parser behind every numeric
 * field and argument, so every one says the same things in the same words.
 */
export function parseLimited(text: string, limit: InputLimit): Parsed<number> {
  const parsed = parseNumber(text, `${limit.what}, such as ${limit.example}`);
  if (!parsed.ok) {
    if (/too large to compute/.test(parsed.error)) return fail(`“${text.trim()}” is too large: ${limit.what} is accepted from ${describeLimit(limit)}.`);
    return parsed;
  }
  const problem = limitProblem(parsed.value, limit, text.trim());
  return problem ? fail(problem) : parsed;
}

/** A whole number within a limit ("8"; "8.5" is refused). */
export function parseWholeNumber(text: string, limit: InputLimit): Parsed<number> {
  const parsed = parseLimited(text, limit);
  if (parsed.ok && !Number.isInteger(parsed.value)) return fail(`“${text.trim()}” is not a whole number: ${limit.what} is accepted from ${describeLimit(limit)}.`);
  return parsed;
}

/**
 * A student size: a Table 13 name ("1.82B" is exactly 1.821e9 parameters) or a quantity, within
 * the accepted range of student sizes (INPUT_LIMITS.studentParameters).
 */
export function parseStudent(text: string): Parsed<number> {
  const named = table13Model(text);
  if (named !== undefined) return ok(named.N);
  return parseLimited(text, INPUT_LIMITS.studentParameters);
}

/** A GPU's peak throughput in FLOP/s, or a preset's name ("H100", in any case). */
export function parseThroughput(text: string): Parsed<number> {
  const preset = Object.entries(GPU_PRESETS).find(([name]) => name.toLowerCase() === text.trim().toLowerCase());
  if (preset) return ok(preset[1]);
  return parseLimited(text, { ...INPUT_LIMITS.throughput, example: `989e12, or one of ${Object.keys(GPU_PRESETS).join(", ")}` });
}

/** A utilisation in percent ("40" or "40%") as a fraction (0.4). */
export function parseUtilisation(text: string): Parsed<number> {
  const parsed = parseLimited(text.replace(/%\s*$/, ""), INPUT_LIMITS.utilisation);
  return parsed.ok ? ok(parsed.value / 100) : parsed;
}

/**
 * Tokens served as tokens per day times days: each within its own limit, and the product within
 * the served tokens' limit, else a message naming both.
 */
export function parseServedPerDay(perDay: string, days: string): Parsed<number> & { field?: "perDay" | "days" } {
  const a = parseLimited(perDay, INPUT_LIMITS.tokensPerDay);
  if (!a.ok) return { ...a, field: "perDay" };
  const b = parseLimited(days, INPUT_LIMITS.days);
  if (!b.ok) return { ...b, field: "days" };
  const served = a.value * b.value;
  const limit = INPUT_LIMITS.servedTokens;
  if (served > limit.max) {
    return fail(`tokens per day (${perDay.trim()}) x days (${days.trim()}) = ${formatQuantity(served)} tokens served is too large: ${limit.what} is accepted from ${describeLimit(limit)}.`);
  }
  return ok(served);
}

/** A comma-, semicolon- or space-separated list of numbers; every bad entry is named. */
export function parseList(text: string, parseOne: (entry: string) => Parsed<number>, what: string, maximum: number): Parsed<number[]> {
  // Separators are ";", white space and commas, except a comma between a digit and a group of
  // three digits, which groups thousands ("1,820M"; write "100, 200" for a list of two).
  const entries = text.split(/[;\s]+|(?<!\d),|,(?!\d{3}(?:\D|$))/).filter((s) => s !== "");
  if (entries.length === 0) return fail(`List at least one ${what}.`);
  if (entries.length > maximum) return fail(`At most ${maximum} ${what}s (got ${entries.length}).`);
  const values: number[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = parseOne(entry);
    if (parsed.ok) values.push(parsed.value);
    else problems.push(parsed.error);
  }
  if (problems.length) return fail(problems.join(" "));
  return ok([...new Set(values)].sort((a, b) => a - b));
}

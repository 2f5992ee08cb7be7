// Reading and writing the quantities people type: sizes like "1.82B", budgets like "3e22".

// Scale suffixes in either case ("7b", "1.82B", "3k"); "m" is a million, never milli, since no
// quantity typed here is a fraction of a unit with a suffix.
const SUFFIXES: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15 };

/** The forms readQuantity accepts, for messages. */
export const QUANTITY_FORMS = "a decimal or exponent number (1820000000, 1.82e9), with an optional suffix k, M, B, T, P in either case (1.82B, 7b), or thousands separated by commas (1,820M)";

// Sign, digits (plain, or grouped in threes by commas), optional decimals and exponent, suffix.
const QUANTITY = /^([+-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?([kKmMbBgGtTpP]?)$/;

/** What a typed quantity reads as: a number, a number too large for a double, or not a number (with why). */
export type QuantityReading =
  | { kind: "number"; value: number }
  | { kind: "overflow" }
  | { kind: "invalid"; reason: string };

/**
 * Reads a quantity as people type it: "1820000000", "1.82e9", "1.82B", "7b", "1,820M", "-1"
 * (the sign is read so that a caller can say "not positive" rather than "not a number"). Refused,
 * with the reason: hexadecimal ("0x10"), a comma that is not a thousands separator ("1,5"), words.
 */
export function readQuantity(text: string): QuantityReading {
  const trimmed = text.trim().replace(/\s+(?=[kKmMbBgGtTpP]$)/, "");
  if (trimmed === "") return { kind: "invalid", reason: "empty" };
  if (/^[+-]?0[xXoObB][0-9a-fA-F]/.test(trimmed) && !/^[+-]?0[bB]$/.test(trimmed)) return { kind: "invalid", reason: "hexadecimal, octal and binary forms are not accepted" };
  const match = QUANTITY.exec(trimmed);
  if (!match) {
    if (/^[+-]?[\d.]*\d,\d/.test(trimmed)) return { kind: "invalid", reason: "a comma must separate thousands (1,820M); write decimals with a point (1.82B)" };
    return { kind: "invalid", reason: "not a number" };
  }
  const [, sign, digits, exponent, suffix] = match;
  const mantissa = Number(`${sign}${digits.replaceAll(",", "")}e${exponent ?? 0}`);
  const value = mantissa * (suffix ? SUFFIXES[suffix.toLowerCase()] : 1);
  if (!Number.isFinite(value)) return { kind: "overflow" };
  // -0 and 0 read alike ("0", "0.0", "-0", "0e0").
  return { kind: "number", value: value === 0 ? 0 : value };
}

/**
 * A quantity written as a plain or exponent number ("1820000000", "1.82e9") or with a scale
 * suffix ("1.82B", "546m", "1.5T"), or null if the text is not such a number.
 */
export function parseQuantity(text: string): number | null {
  const reading = readQuantity(text);
  return reading.kind === "number" ? reading.value : null;
}

/** Whether the text is written as a number but is too large for one ("1e400"). */
export function quantityOverflows(text: string): boolean {
  return readQuantity(text).kind === "overflow";
}

/** A short human form: 1.82e9 -> "1.82B", 3e22 -> "3e22" (scale suffixes only up to trillions). */
export function formatQuantity(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const scales: [number, string][] = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]];
  // The scale is chosen after rounding, so 999999.99 prints as 1M, not 1000k.
  const rounded = Math.abs(Number(value.toPrecision(digits)));
  for (const [scale, suffix] of scales) {
    if (rounded >= scale && rounded < scale * 1000) return `${trim(value / scale, digits)}${suffix}`;
  }
  if (Math.abs(value) >= 1e15 || (value !== 0 && Math.abs(value) < 1e-3)) return formatExponent(value, digits);
  return trim(value, digits);
}

/** Exponent notation without redundant zeros: 3e22, 1.82e9. */
export function formatExponent(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
  return `${String(Number(mantissa))}e${Number(exponent)}`;
}

function trim(value: number, digits: number): string {
  return String(Number(value.toPrecision(digits)));
}

/**
 * One style for a column of sizes or tokens: formatQuantity's suffixes (546M, 779B) if they serve
 * every value, else exponent form for all (7.79e11 beside 1e17), never a mix.
 */
export function quantityColumnFormat(values: readonly number[], digits = 3): (value: number) => string {
  const suffixed = values.every((v) => !Number.isFinite(v) || v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e15));
  return suffixed ? (value) => formatQuantity(value, digits) : (value) => formatExponent(value, digits);
}

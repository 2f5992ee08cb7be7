// Reading and writing the quantities people type: sizes like "1.82B", budgets like "3e22".

const SUFFIXES: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12, P: 1e15 };

const QUANTITY = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKMBGTP]?)\s*$/;

/**
 * Parses a positive quantity written as a plain or exponent number ("1820000000", "1.82e9") or
 * with a scale suffix ("1.82B", "546M", "1.5T"). Returns null if the text is not such a number.
 */
export function parseQuantity(text: string): number | null {
  const match = QUANTITY.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * (match[2] ? SUFFIXES[match[2]] : 1);
  return Number.isFinite(value) ? value : null;
}

/** Whether the text is written as a number but is too large for one ("1e400"). */
export function quantityOverflows(text: string): boolean {
  const match = QUANTITY.exec(text);
  return match !== null && !Number.isFinite(Number(match[1]) * (match[2] ? SUFFIXES[match[2]] : 1));
}

/** A short human form: 1.82e9 -> "1.82B", 3e22 -> "3e22" (scale suffixes only up to trillions). */
export function formatQuantity(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const scales: [number, string][] = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]];
  for (const [scale, suffix] of scales) {
    if (Math.abs(value) >= scale && Math.abs(value) < scale * 1000) return `${trim(value / scale, digits)}${suffix}`;
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

// Display formats shared by the pages' tables and charts, beside units.ts's quantities: one form
// for ratios and for ticks of a linear FLOPs axis across the site.

import { formatExponent, formatQuantity } from "../../core/inputs/units.js";

/**
 * A ratio such as tokens per parameter: plain for the usual 0.01 to 1000 ("20", "9.43"), with a
 * scale suffix or in exponent form beyond ("9.43k", never "9.43e+3").
 */
export function formatRatio(value: number): string {
  return value >= 1000 || (value !== 0 && value < 0.01) ? formatQuantity(value) : String(Number(value.toPrecision(3)));
}

/**
 * A tick of a linear FLOPs axis: "0" at zero (never "0e0"), else exponent form with as many
 * digits as the ticks' step needs (1.2e22 beside 1e22, not two ticks both "1e22").
 */
export function formatFlopsTick(value: number): string {
  return value === 0 ? "0" : formatExponent(value, 3);
}

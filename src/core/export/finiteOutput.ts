// The last check before an answer is shown: every number in it finite, and no size or token count
// below zero. A law evaluated far outside its runs can overflow (a loss of Infinity) without any
// input being out of range; such an answer is refused with the field named, never printed.

/** Fields that hold sizes, token counts or FLOPs: never negative. */
const NON_NEGATIVE_KEY = /(Parameters|Tokens|parameters|tokens)$|^(N|D|N_S|D_S|N_T|D_T|NS|DS|NT|DT|budget|compute|studentTraining|teacherLogits|teacherPretraining|serving|total)$/;

/**
 * The path of the first number in `value` that is not finite (or a size, token count or FLOPs
 * below zero), with the number: "rows[0].studentLoss = Infinity". Null when there is none.
 * Walks with an explicit stack; `null` entries (a strategy with no teacher) are fine.
 */
export function nonFiniteField(value: unknown, rootPath = ""): string | null {
  const stack: [unknown, string, string][] = [[value, rootPath, ""]];
  while (stack.length > 0) {
    const [item, path, key] = stack.pop()!;
    if (typeof item === "number") {
      if (!Number.isFinite(item)) return `${path} = ${item}`;
      if (item < 0 && NON_NEGATIVE_KEY.test(key)) return `${path} = ${item} (a negative size)`;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${path}[${i}]`, key]);
    } else if (item !== null && typeof item === "object") {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], path ? `${path}.${entries[i][0]}` : entries[i][0], entries[i][0]]);
    }
  }
  return null;
}

/** Where printed text shows a number that is not one: the first line holding Infinity or NaN, or null. */
export function nonFiniteText(text: string): string | null {
  const line = text.split("\n").find((l) => /(^|[^\w])(-?Infinity|NaN)([^\w]|$)/.test(l));
  return line === undefined ? null : line.trim().replace(/\s+/g, " ").slice(0, 120);
}

/** An answer with a number that is not finite: refused, with the field named. */
export class NonFiniteResultError extends Error {
  constructor(readonly field: string) {
    super(`the answer is not finite (${field}): the coefficients give no finite answer for these inputs; check the coefficient set and the inputs`);
    this.name = "NonFiniteResultError";
  }
}

/** Throws NonFiniteResultError naming the first field of `value` that is not finite or is a negative size. */
export function assertFiniteResult(value: unknown, rootPath = ""): void {
  const field = nonFiniteField(value, rootPath);
  if (field !== null) throw new NonFiniteResultError(field);
}

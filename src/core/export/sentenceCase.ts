// A label or clause placed at the start or inside a sentence changes only its first letter: labels
// carry names ("Table 6's distillation law", "N_S") whose case is part of the name.

/** The text with its first letter in upper case. */
export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The text with its first letter in lower case. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

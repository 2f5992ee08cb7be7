// The plumbing every page with inputs shares: a message line under each field (what the field was
// read as, or why it could not be), the last good reading of the page (a field that cannot be read
// keeps its last good value and its last good text, so a typo never blanks a figure) and the
// address write-back (the page's inputs, as typed, in the query string, so a copied link reopens
// the same view). The CSS is in style.css (.field, .field-message, .field-hint, .field-error).
//
// Pages read the address once with `readAddress` (queryState.ts), build their inputs from it, wrap each input with
// `form.field(input, name)`, and on every change call `form.show(errors, hints)` and `remember`.

import { el } from "./dom.js";
import { addressOf, goodText, readAddress, type AddressSpec, type RawState } from "./queryState.js";

/** The last good reading of a page: the values it computes with, and the text behind them. */
export interface PageMemory<R extends RawState<R>, V> {
  raw: R;
  values: V | undefined;
  /** The address written after the next paint (see `remember`); null when none is waiting. */
  pendingAddress?: string | null;
}

export function pageMemory<R extends RawState<R>, V>(initial: R): PageMemory<R, V> {
  return { raw: { ...initial }, values: undefined };
}

/**
 * Records a reading: the values, and the text of every field that was read (others keep the last
 * good text); then writes that text to the address. Returns the query string written.
 */
export function remember<R extends RawState<R>, V>(
  memory: PageMemory<R, V>, raw: R, errors: Partial<Record<keyof R, string>>, values: V, spec: AddressSpec<R>,
): string {
  memory.values = values;
  memory.raw = goodText(raw, errors, memory.raw);
  const query = addressOf(memory.raw, spec);
  writeAddressAfterPaint(memory, query);
  return query;
}

/**
 * replaceState, not pushState: typing should not fill the back button's history. Written after
 * the frame that paints the answer, once per frame with the latest text: Chromium spends some
 * 25 ms in replaceState, which the planner's input-to-paint latency (100 ms target) cannot spare.
 */
function writeAddressAfterPaint(memory: { pendingAddress?: string | null }, query: string): void {
  if (typeof history === "undefined") return;
  const waiting = memory.pendingAddress != null;
  memory.pendingAddress = query;
  if (waiting) return;
  requestAnimationFrame(() => setTimeout(() => {
    const latest = memory.pendingAddress;
    memory.pendingAddress = null;
    if (latest != null && latest !== location.search) history.replaceState(history.state, "", latest + location.hash);
  }, 0));
}

export type Hint = string | (() => string) | undefined;

export interface FieldMessages {
  /** The input wrapped with its message line, `data-field` naming it for tests and styles. */
  field(input: HTMLElement, name: string): HTMLElement;
  /** An error (red, with a warning sign) or else the hint at every field wrapped so far. */
  show(errors: Partial<Record<string, string>>, hints?: Partial<Record<string, Hint>>): void;
  /** The wrapped field of a name. */
  get(name: string): HTMLElement | undefined;
}

export function fieldMessages(): FieldMessages {
  const fields = new Map<string, { wrapper: HTMLElement; message: HTMLElement }>();
  return {
    field(input, name) {
      const message = el("div", { class: "field-message", "data-field": name, "aria-live": "polite" });
      const wrapper = el("div", { class: "field", "data-field": name }, input, message);
      fields.set(name, { wrapper, message });
      return wrapper;
    },
    show(errors, hints = {}) {
      for (const [name, { message }] of fields) {
        const error = errors[name];
        const hint = hints[name];
        message.className = `field-message ${error ? "field-error" : "field-hint"}`;
        message.textContent = error ?? (typeof hint === "function" ? hint() : hint) ?? "";
      }
    },
    get(name) {
      return fields.get(name)?.wrapper;
    },
  };
}

/** An Observable input: an element with a value, dispatching "input" when it changes. */
export type ValueInput = HTMLElement & { value: unknown };

export interface AddressedInputs<R extends RawState<R>, I extends Record<keyof R, ValueInput>> {
  initial: R;
  memory: PageMemory<R, unknown>;
  fields: FieldMessages;
  inputs: I;
  /** The inputs, each wrapped with its message line, to display. */
  element: HTMLElement;
}

/**
 * A page's inputs started from the address: `build` makes them from the address's values; each
 * is wrapped with its message line. The page reads each with Generators.input (so a change
 * recomputes only what depends on that input) and, in one cell depending on all, calls
 * `remember` and `fields.show`.
 */
export function addressedInputs<R extends RawState<R>, I extends Record<keyof R, ValueInput>>(
  search: string, spec: AddressSpec<R>, build: (initial: R) => I,
): AddressedInputs<R, I> {
  const initial = readAddress(search, spec);
  const fields = fieldMessages();
  const inputs = build(initial);
  const element = el("div", { class: "page-inputs" }, Object.entries(inputs).map(([name, input]) => fields.field(input as HTMLElement, name)));
  return { initial, memory: pageMemory(initial), fields, inputs, element };
}

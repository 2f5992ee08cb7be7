// Page state kept in the URL query, so that a copied link reopens the same page: each field of a
// page's raw state (the text as typed) is one query parameter. Every page with inputs keeps its
// state so (components/fieldForm.ts writes it back on each change).

/** `defaults`, with each of `fields` that the query string has replaced by its value. */
export function rawFromQuery<R extends object>(search: string, defaults: Readonly<R>, fields: readonly (keyof R & string)[]): R {
  const params = new URLSearchParams(search);
  const raw = { ...defaults } as R;
  for (const key of fields) {
    const value = params.get(key);
    if (value !== null) (raw as Record<string, string>)[key] = value;
  }
  return raw;
}

/** The query string for a state; every field is written so a link survives changed defaults. */
export function queryFromRaw<R extends object>(raw: R, fields: readonly (keyof R & string)[]): string {
  const params = new URLSearchParams();
  for (const key of fields) params.set(key, String(raw[key]));
  return `?${params.toString()}`;
}

/** A page's inputs as they go in the address: one text value per field. */
export type RawState<R> = { [K in keyof R]: string };

export interface AddressSpec<R extends RawState<R>> {
  defaults: Readonly<R>;
  /** Fields with a fixed set of values; anything else in the address falls back to the default. */
  choices?: { readonly [K in keyof R]?: readonly string[] };
}

/** The page's raw state from a query string: missing or unknown values take the defaults. */
export function readAddress<R extends RawState<R>>(search: string, spec: AddressSpec<R>): R {
  const fields = Object.keys(spec.defaults) as (keyof R & string)[];
  const raw = rawFromQuery(search, spec.defaults, fields);
  for (const [field, allowed] of Object.entries(spec.choices ?? {}) as [keyof R & string, readonly string[]][]) {
    if (!allowed.includes(raw[field])) (raw as Record<string, string>)[field] = spec.defaults[field];
  }
  return raw;
}

/** The query string for a raw state; every field is written so a link survives changed defaults. */
export function addressOf<R extends RawState<R>>(raw: R, spec: AddressSpec<R>): string {
  return queryFromRaw(raw, Object.keys(spec.defaults) as (keyof R & string)[]);
}

/** The raw state to keep: fields with errors keep the text of the last good state. */
export function goodText<R extends RawState<R>>(raw: R, errors: Partial<Record<keyof R, string>>, lastGood: R): R {
  const merged = { ...raw };
  for (const key of Object.keys(errors) as (keyof R)[]) if (errors[key] !== undefined) merged[key] = lastGood[key];
  return merged;
}

// Page state kept in the URL query, so that a copied link reopens the same page: each field of a
// page's raw state (the text as typed) is one query parameter. Used by the planner's and the
// teachers page's state modules, which add their own checks of enumerated fields.

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

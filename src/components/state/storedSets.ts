// Coefficient sets fitted on the "Your runs" page, kept in this browser's IndexedDB (idb-keyval),
// so that every page with a coefficient chooser can offer them after a reload. Nothing leaves
// the browser. Each record holds the JSON `npm run fit` prints (samples included) and the runs'
// validity domain.

import { createStore, del, entries, get, set, type UseStore } from "idb-keyval";
import type { CoefficientEnsemble } from "../../core/ensemble/ensemble.js";
import { TABLE6, type DistillationCoefficients, type SupervisedCoefficients } from "../../core/laws/laws.js";
import type { ValidityDomain } from "../../core/domain/validity.js";
import { validateCoefficientSet } from "../../core/ensemble/validateCoefficientSet.js";
import type { CoefficientOption } from "./coefficientSets.js";

/** The part of `npm run fit`'s JSON a stored set needs; the whole object is kept. */
export interface FitJson {
  supervised: { coefficients: SupervisedCoefficients; [key: string]: unknown };
  distillation?: { coefficients: DistillationCoefficients; [key: string]: unknown };
  /** The bootstrap ensemble, members included (docs/coefficients-format.md). */
  ensemble?: CoefficientEnsemble;
  /** An older layout: the members alone. */
  samples?: { supervised: SupervisedCoefficients; distillation: DistillationCoefficients }[];
  bootstrap?: { resamples: number; seed: number; level: number };
  [key: string]: unknown;
}

export interface StoredSet {
  /** "user:<random>": planner addresses carry it. */
  id: string;
  name: string;
  /** ISO time of the fit or the load. */
  created: string;
  fit: FitJson;
  domain: ValidityDomain | null;
}

export const USER_PREFIX = "user:";

let store: UseStore | null = null;
function database(): UseStore {
  store ??= createStore("distillation-planner", "coefficient-sets");
  return store;
}

export async function listStoredSets(): Promise<StoredSet[]> {
  if (typeof indexedDB === "undefined") return [];
  try {
    const all = await entries<string, StoredSet>(database());
    // A record edited in storage may lack `created`: it sorts first rather than throwing.
    const created = (record: StoredSet) => (typeof record?.created === "string" ? record.created : "");
    return all.map(([, value]) => value).sort((a, b) => created(a).localeCompare(created(b)));
  } catch {
    // Private windows and blocked storage: the page works without stored sets.
    return [];
  }
}

export async function saveStoredSet(entry: Omit<StoredSet, "id" | "created"> & Partial<Pick<StoredSet, "id" | "created">>): Promise<StoredSet> {
  const id = entry.id ?? `${USER_PREFIX}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const record: StoredSet = { ...entry, id, created: entry.created ?? new Date().toISOString() };
  await set(id, record, database());
  announce();
  return record;
}

export async function renameStoredSet(id: string, name: string): Promise<void> {
  const record = await get<StoredSet>(id, database());
  if (!record) return;
  await set(id, { ...record, name }, database());
  announce();
}

export async function deleteStoredSet(id: string): Promise<void> {
  await del(id, database());
  announce();
}

// Other open tabs refresh their choosers when a set is added, renamed or deleted.
const CHANNEL = "distillation-planner-coefficient-sets";
function announce(): void {
  if (typeof BroadcastChannel !== "undefined") new BroadcastChannel(CHANNEL).postMessage("changed");
}

/** Calls `listener` whenever another tab changes the stored sets; returns the unsubscribe. */
export function onStoredSetsChange(listener: () => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = listener;
  return () => channel.close();
}

/** A stored set as a chooser option. */
export type StoredSetOption = CoefficientOption & { ensemble: CoefficientEnsemble | null; domain: ValidityDomain | null };

/** A stored record that fails the coefficient-set check: left out of every chooser, and said so. */
export interface UnusableStoredSet {
  id: string;
  name: string;
  /** The field and what is wrong with it: "ensemble.members[2].supervised.E: expected ..., got -5". */
  problem: string;
}

/**
 * A stored record as a chooser option, or why it cannot be one. Every record is checked when read
 * (validateCoefficientSet), whenever and however it was stored: a set stored by an older version
 * of the site, or edited in the browser's storage, cannot reach a computation unchecked. A
 * supervised-only fit has no distillation law of its own: the planning pages plan distillation with
 * it only when the reader borrows Table 6's (distillationLawChoice.ts); the figures draw Table 6's
 * and its label says so.
 */
export function checkStoredSet(record: unknown): { ok: true; option: StoredSetOption } | { ok: false; unusable: UnusableStoredSet } {
  const object = (record !== null && typeof record === "object" ? record : {}) as Partial<StoredSet>;
  const id = typeof object.id === "string" ? object.id : "";
  const name = typeof object.name === "string" ? object.name : id || "unnamed set";
  const unusable = (problem: string) => ({ ok: false as const, unusable: { id, name, problem } });
  if (!id.startsWith(USER_PREFIX)) return unusable(`id: expected "${USER_PREFIX}…", got ${JSON.stringify(id.slice(0, 40))}`);
  const fit = object.fit;
  if (fit === null || typeof fit !== "object" || Array.isArray(fit)) return unusable("fit: expected the object npm run fit prints");
  const checked = validateCoefficientSet({ ...fit, domain: object.domain ?? null });
  if (!checked.ok) return unusable(checked.error);
  const { supervised, distillation, ensemble, domain } = checked.value;
  return {
    ok: true,
    option: {
      id,
      label: `Your runs: ${name}${distillation ? "" : " (supervised law only; figures use the paper's distillation law)"}`,
      synthetic: false,
      source: distillation
        ? `Fitted in this browser to your supervised and distillation runs.`
        : `Fitted in this browser to your supervised runs only: it has no distillation law. The figures draw the paper's Table 6 distillation law, fitted to the paper's runs, not yours.`,
      supervised,
      distillation: distillation ?? TABLE6.distillation,
      distillationFitted: distillation !== null,
      ensemble,
      domain,
    },
  };
}

/** A stored set as a chooser option; throws with the field's message if it fails the check. */
export function storedSetOption(set: StoredSet): StoredSetOption {
  const checked = checkStoredSet(set);
  if (!checked.ok) throw new Error(`Stored set “${checked.unusable.name}”: ${checked.unusable.problem}`);
  return checked.option;
}

// The records the last read found unusable, by id: a page whose address names one says why it
// fell back (missingSetMessage) instead of "not stored in this browser".
const unusableSets = new Map<string, UnusableStoredSet>();

/** The stored record with this id that failed its check at the last read, if any. */
export function unusableStoredSet(id: string): UnusableStoredSet | undefined {
  return unusableSets.get(id);
}

/** Every stored record that failed its check at the last read. */
export function unusableStoredSets(): UnusableStoredSet[] {
  return [...unusableSets.values()];
}

/** The stored sets as chooser options, for coefficientOptions(fits, storedCoefficientOptions()). */
export async function storedCoefficientOptions(): Promise<CoefficientOption[]> {
  const options: CoefficientOption[] = [];
  unusableSets.clear();
  for (const record of await listStoredSets()) {
    const checked = checkStoredSet(record);
    if (checked.ok) options.push(checked.option);
    else unusableSets.set(checked.unusable.id, checked.unusable);
  }
  return options;
}

// Coefficient sets fitted on the "Your runs" page, kept in this browser's IndexedDB (idb-keyval),
// so that every page with a coefficient chooser can offer them after a reload. Nothing leaves
// the browser. Each record holds the JSON `npm run fit` prints (samples included) and the runs'
// validity domain.

import { withBorrowedDistillation } from "../../core/ensemble/borrowedLaw.js";
import { createStore, del, entries, get, set, type UseStore } from "idb-keyval";
import type { CoefficientEnsemble } from "../../core/ensemble/ensemble.js";
import { TABLE6, type DistillationCoefficients, type SupervisedCoefficients } from "../../core/laws/laws.js";
import type { ValidityDomain } from "../../core/domain/validity.js";
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
    return all.map(([, value]) => value).sort((a, b) => a.created.localeCompare(b.created));
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

/** The ensemble of a stored fit, or null when it was fitted without a bootstrap. */
export function ensembleOfFit(fit: FitJson): CoefficientEnsemble | null {
  if (fit.ensemble && Array.isArray(fit.ensemble.members) && fit.ensemble.members.length > 0) return fit.ensemble;
  if (!fit.samples || fit.samples.length === 0) return null;
  const requested = fit.bootstrap?.resamples ?? fit.samples.length;
  return {
    kind: "bootstrap",
    description: `${requested} bootstrap resamples of the runs${fit.bootstrap ? ` (seed ${fit.bootstrap.seed})` : ""}`,
    members: fit.samples,
    requested,
    leftOut: requested - fit.samples.length,
    seed: fit.bootstrap?.seed ?? 0,
  };
}

/** A stored set as a chooser option; a supervised-only fit carries the paper's distillation law and says so. */
export function storedSetOption(set: StoredSet): CoefficientOption & { ensemble: CoefficientEnsemble | null; domain: ValidityDomain | null } {
  const supervisedOnly = !set.fit.distillation;
  return {
    id: set.id,
    label: `Your runs: ${set.name}${supervisedOnly ? " (your supervised law + the paper's distillation law)" : ""}`,
    synthetic: false,
    source: supervisedOnly
      ? `Fitted in this browser to your supervised runs; the distillation law is the paper's Table 6, fitted to the paper's runs, not yours.`
      : `Fitted in this browser to your supervised and distillation runs.`,
    supervised: set.fit.supervised.coefficients,
    distillation: set.fit.distillation?.coefficients ?? TABLE6.distillation,
    // Its members all carry Table 6's distillation law: their agreement on distillation is no agreement.
    ensemble: supervisedOnly ? nullableBorrowed(ensembleOfFit(set.fit)) : ensembleOfFit(set.fit),
    domain: set.domain,
  };
}

function nullableBorrowed(ensemble: CoefficientEnsemble | null): CoefficientEnsemble | null {
  return ensemble && withBorrowedDistillation(ensemble);
}

/** The stored sets as chooser options, for coefficientOptions(fits, storedCoefficientOptions()). */
export async function storedCoefficientOptions(): Promise<CoefficientOption[]> {
  return (await listStoredSets()).map(storedSetOption);
}

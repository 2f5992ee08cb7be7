// The one check of a coefficient set (both laws, the ensemble and the validity domain) wherever a
// set comes from outside the code: a file given to the CLI, the build's own fits, a JSON loaded on
// the "Your runs" page and every set read back from the browser's storage. A set either passes
// whole or gets one message naming the first wrong field by its path
// ("ensemble.members[2].supervised.E: expected a number >= 0, got -5").
//
// What "physically meaningful" means here: scale coefficients (A, B, d1, f1) are positive, the
// irreducible loss E is in [0, ln n_vocab], exponents and switch coefficients are finite and
// >= 0 (the fitter may leave one on its bound 0; bootstrap members reach beta' = 89 and more, so
// there is no upper end), losses are in (0, ln n_vocab], a domain's edges are positive and ordered. The nesting depth is measured with an explicit stack
// before anything else is read, so a deeply nested array is refused, not a stack overflow.

import { DISTILLATION_COEFFICIENTS, SUPERVISED_COEFFICIENTS, type DistillationCoefficients, type SupervisedCoefficients } from "../laws/laws.js";
import { DEFAULT_FLOPS_MODEL } from "../laws/flops.js";
import type { CoefficientEnsemble, EnsembleMember } from "./ensemble.js";
import type { Range, ValidityDomain } from "../domain/validity.js";

/** Deeper than any file `npm run fit` writes (about 6 levels), shallow enough to walk safely. */
export const MAX_NESTING = 32;

export interface CoefficientSetOptions {
  /** The vocabulary whose ln bounds every loss (default: the paper's 32,168). */
  nVocab?: number;
}

/** A set that passed the check: the laws, the ensemble and the domain as the code uses them. */
export interface CheckedCoefficientSet {
  supervised: SupervisedCoefficients;
  /** Null when the set has only a supervised law. */
  distillation: DistillationCoefficients | null;
  ensemble: CoefficientEnsemble | null;
  domain: ValidityDomain | null;
  /** The file named by `samplesFile` (the ensemble kept beside the fit), for the caller to read and check. */
  samplesFile: string | null;
}

export type CoefficientCheck<T> = { ok: true; value: T } | { ok: false; error: string; path: string };

/** A field that fails the check: `path` names it as written in the file. */
export class CoefficientSetError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = "CoefficientSetError";
  }
}

/**
 * Checks a coefficient set in any of the layouts the project writes: `npm run fit`'s output (laws
 * under `supervised.coefficients`), plain `{supervised: {...}, distillation: {...}}`, with an
 * `ensemble` (or the older `samples` list of members) and a `domain`.
 */
export function validateCoefficientSet(root: unknown, options: CoefficientSetOptions = {}): CoefficientCheck<CheckedCoefficientSet> {
  return attempt(() => {
    checkNesting(root, "");
    const object = record(root, "");
    const maxLoss = Math.log(options.nVocab ?? DEFAULT_FLOPS_MODEL.nVocab);
    const law = (name: string) => {
      const value = object[name];
      const nested = isRecord(value) && "coefficients" in value;
      return { value: nested ? value.coefficients : value, path: nested ? `${name}.coefficients` : name };
    };
    const supervised = law("supervised");
    if (supervised.value === undefined) throw new CoefficientSetError("supervised", "missing: a set needs at least the supervised law");
    const distillation = law("distillation");
    const samplesFile = object.samplesFile;
    if (samplesFile !== undefined && typeof samplesFile !== "string") throw new CoefficientSetError("samplesFile", `expected a file name, got ${describe(samplesFile)}`);
    let ensemble: CoefficientEnsemble | null = null;
    if (object.ensemble !== undefined && object.ensemble !== null) ensemble = ensembleAt(object.ensemble, "ensemble", maxLoss);
    else if (object.samples !== undefined && object.samples !== null) ensemble = samplesEnsemble(object, maxLoss);
    return {
      supervised: supervisedAt(supervised.value, supervised.path, maxLoss),
      distillation: distillation.value === undefined || distillation.value === null ? null : distillationAt(distillation.value, distillation.path),
      ensemble,
      domain: object.domain === undefined || object.domain === null ? null : domainAt(object.domain, "domain", maxLoss),
      samplesFile: samplesFile ?? null,
    };
  });
}

/** Checks an ensemble on its own (a `samplesFile`'s content, or the build's ensembles). */
export function validateEnsemble(value: unknown, options: CoefficientSetOptions = {}): CoefficientCheck<CoefficientEnsemble> {
  return attempt(() => {
    checkNesting(value, "");
    return ensembleAt(value, "", Math.log(options.nVocab ?? DEFAULT_FLOPS_MODEL.nVocab));
  });
}

/** Checks a validity domain on its own. */
export function validateDomain(value: unknown, options: CoefficientSetOptions = {}): CoefficientCheck<ValidityDomain> {
  return attempt(() => {
    checkNesting(value, "");
    return domainAt(value, "", Math.log(options.nVocab ?? DEFAULT_FLOPS_MODEL.nVocab));
  });
}

function attempt<T>(check: () => T): CoefficientCheck<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof CoefficientSetError) return { ok: false, error: error.message, path: error.path };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Structure.

/** Refuses nesting deeper than MAX_NESTING, walking with an explicit stack (no recursion). */
function checkNesting(root: unknown, rootPath: string): void {
  const stack: [unknown, number, string][] = [[root, 0, rootPath]];
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_NESTING) throw new CoefficientSetError(path, `nested more than ${MAX_NESTING} levels deep; a coefficient set needs about 6`);
    if (Array.isArray(value)) value.forEach((item, i) => stack.push([item, depth + 1, `${path}[${i}]`]));
    else for (const [key, item] of Object.entries(value)) stack.push([item, depth + 1, join(path, key)]);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new CoefficientSetError(path, `expected an object, got ${describe(value)}`);
  return value;
}

/** A value as a message shows it: numbers and short strings as written, containers by kind. */
export function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : "an object";
}

// ---------------------------------------------------------------------------------------------
// Numbers.

interface NumberRule {
  /** Lower end; `open` excludes it. */
  min: number;
  open?: boolean;
  max?: number;
  /** How the rule reads in messages: "a number > 0". */
  text: string;
}

const POSITIVE: NumberRule = { min: 0, open: true, text: "a number > 0" };
const EXPONENT: NumberRule = { min: 0, text: "a finite number >= 0" };
const lossRule = (maxLoss: number, open = true): NumberRule =>
  ({ min: 0, open, max: maxLoss, text: `a loss ${open ? ">" : ">="} 0 and <= ln(n_vocab) = ${maxLoss.toFixed(3)} nats` });

function numberAt(value: unknown, path: string, rule: NumberRule): number {
  const fits = typeof value === "number" && Number.isFinite(value) &&
    (rule.open ? value > rule.min : value >= rule.min) && (rule.max === undefined || value <= rule.max);
  if (!fits) throw new CoefficientSetError(path, `expected ${rule.text}, got ${describe(value)}`);
  return value as number;
}

function wholeAt(value: unknown, path: string): number {
  if (!(typeof value === "number" && Number.isSafeInteger(value) && value >= 0)) throw new CoefficientSetError(path, `expected a whole number >= 0, got ${describe(value)}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Laws.

const SUPERVISED_RULES = (maxLoss: number): Record<(typeof SUPERVISED_COEFFICIENTS)[number], NumberRule> => ({
  A: POSITIVE, B: POSITIVE, E: lossRule(maxLoss, false), alpha: EXPONENT, beta: EXPONENT, gamma: EXPONENT,
});
const DISTILLATION_RULES: Record<(typeof DISTILLATION_COEFFICIENTS)[number], NumberRule> = {
  A: POSITIVE, B: POSITIVE, alpha: EXPONENT, beta: EXPONENT, gamma: EXPONENT, c0: EXPONENT, c1: EXPONENT, f1: POSITIVE, d1: POSITIVE,
};

function supervisedAt(value: unknown, path: string, maxLoss: number): SupervisedCoefficients {
  const object = record(value, path);
  const rules = SUPERVISED_RULES(maxLoss);
  const out = {} as SupervisedCoefficients;
  for (const key of SUPERVISED_COEFFICIENTS) out[key] = numberAt(object[key], join(path, key), rules[key]);
  return out;
}

function distillationAt(value: unknown, path: string): DistillationCoefficients {
  const object = record(value, path);
  const out = {} as DistillationCoefficients;
  for (const key of DISTILLATION_COEFFICIENTS) out[key] = numberAt(object[key], join(path, key), DISTILLATION_RULES[key]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ensembles.

function membersAt(value: unknown, path: string, maxLoss: number): EnsembleMember[] {
  if (!Array.isArray(value)) throw new CoefficientSetError(path, `expected an array of members, got ${describe(value)}`);
  if (value.length === 0) throw new CoefficientSetError(path, "expected at least one member, got an empty array");
  return value.map((member, i) => {
    const where = `${path}[${i}]`;
    const object = record(member, where);
    return { supervised: supervisedAt(object.supervised, `${where}.supervised`, maxLoss), distillation: distillationAt(object.distillation, `${where}.distillation`) };
  });
}

function ensembleAt(value: unknown, path: string, maxLoss: number): CoefficientEnsemble {
  const object = record(value, path);
  const members = membersAt(object.members, join(path, "members"), maxLoss);
  const kind = object.kind ?? "bootstrap";
  if (kind !== "bootstrap" && kind !== "parametric-bootstrap") {
    throw new CoefficientSetError(join(path, "kind"), `expected "bootstrap" or "parametric-bootstrap", got ${describe(kind)}`);
  }
  const description = object.description ?? `${members.length} coefficient samples`;
  if (typeof description !== "string") throw new CoefficientSetError(join(path, "description"), `expected a sentence, got ${describe(description)}`);
  const requested = object.requested === undefined ? members.length : wholeAt(object.requested, join(path, "requested"));
  const leftOut = object.leftOut === undefined ? requested - members.length : wholeAt(object.leftOut, join(path, "leftOut"));
  if (requested !== members.length + leftOut) {
    throw new CoefficientSetError(join(path, "requested"), `${requested} is not members (${members.length}) + leftOut (${leftOut})`);
  }
  const seed = object.seed === undefined ? 0 : wholeAt(object.seed, join(path, "seed"));
  const borrowed = object.borrowedLaws === undefined ? undefined : record(object.borrowedLaws, join(path, "borrowedLaws"));
  const borrowedFrom = borrowed?.distillation;
  if (borrowedFrom !== undefined && typeof borrowedFrom !== "string") {
    throw new CoefficientSetError(join(path, "borrowedLaws.distillation"), `expected the law's source such as "Table 6", got ${describe(borrowedFrom)}`);
  }
  const checked = implausibleAt(object, path, leftOut);
  return { kind, description, members, requested, leftOut, ...checked, seed, ...(borrowedFrom !== undefined ? { borrowedLaws: { distillation: borrowedFrom } } : {}) };
}

/** The count of members left out as implausible (part of `leftOut`) and the first reason, when the ensemble records them. */
function implausibleAt(object: Record<string, unknown>, path: string, leftOut: number): Pick<CoefficientEnsemble, "implausible" | "implausibleReason"> {
  if (object.implausible === undefined) return {};
  const implausible = wholeAt(object.implausible, join(path, "implausible"));
  if (implausible > leftOut) throw new CoefficientSetError(join(path, "implausible"), `${implausible} is more than leftOut (${leftOut})`);
  const reason = object.implausibleReason ?? null;
  if (reason !== null && typeof reason !== "string") {
    throw new CoefficientSetError(join(path, "implausibleReason"), `expected a sentence or null, got ${describe(reason)}`);
  }
  return { implausible, implausibleReason: reason };
}

/** The older stored layout: `samples` (the members) with `bootstrap: {resamples, seed}`. */
function samplesEnsemble(object: Record<string, unknown>, maxLoss: number): CoefficientEnsemble {
  const members = membersAt(object.samples, "samples", maxLoss);
  const bootstrap = object.bootstrap === undefined ? {} : record(object.bootstrap, "bootstrap");
  const requested = bootstrap.resamples === undefined ? members.length : wholeAt(bootstrap.resamples, "bootstrap.resamples");
  if (requested < members.length) throw new CoefficientSetError("bootstrap.resamples", `${requested} is fewer than the ${members.length} samples`);
  const seed = bootstrap.seed === undefined ? 0 : wholeAt(bootstrap.seed, "bootstrap.seed");
  return {
    kind: "bootstrap",
    description: `${requested} bootstrap resamples of the runs${object.bootstrap ? ` (seed ${seed})` : ""}`,
    members, requested, leftOut: requested - members.length, seed,
  };
}

// ---------------------------------------------------------------------------------------------
// Domains.

function rangeAt(value: unknown, path: string, rule: NumberRule): Range {
  const object = record(value, path);
  const min = numberAt(object.min, join(path, "min"), rule);
  const max = numberAt(object.max, join(path, "max"), rule);
  if (!(min <= max)) throw new CoefficientSetError(path, `min ${min} is above max ${max}`);
  return { min, max };
}

function domainAt(value: unknown, path: string, maxLoss: number): ValidityDomain {
  const object = record(value, path);
  const source = object.source;
  if (typeof source !== "string" || source.trim() === "") {
    throw new CoefficientSetError(join(path, "source"), `expected a sentence naming the runs, got ${describe(source)}`);
  }
  const edge: NumberRule = { min: 0, open: true, text: "a finite number > 0 (a zero edge is no domain)" };
  const supervisedPath = join(path, "supervised");
  const supervised = record(object.supervised, supervisedPath);
  const distillationPath = join(path, "distillation");
  const distillation = object.distillation === undefined || object.distillation === null ? null : record(object.distillation, distillationPath);
  const range = (parent: Record<string, unknown>, parentPath: string, key: string, rule = edge) => rangeAt(parent[key], join(parentPath, key), rule);
  return {
    source,
    supervised: {
      parameters: range(supervised, supervisedPath, "parameters"),
      tokens: range(supervised, supervisedPath, "tokens"),
      tokensPerParameter: range(supervised, supervisedPath, "tokensPerParameter"),
    },
    distillation: distillation === null ? null : {
      studentParameters: range(distillation, distillationPath, "studentParameters"),
      studentTokens: range(distillation, distillationPath, "studentTokens"),
      studentTokensPerParameter: range(distillation, distillationPath, "studentTokensPerParameter"),
      teacherLoss: range(distillation, distillationPath, "teacherLoss", lossRule(maxLoss)),
      teacherParameters: range(distillation, distillationPath, "teacherParameters"),
      teacherTokens: range(distillation, distillationPath, "teacherTokens"),
    },
  };
}

// Reading a run data set folder from disk (Node only: build-time loaders, CLI, tests).
// Kept apart from runs.ts so that browser code importing the parsers never pulls in node:fs.

import { existsSync } from "node:fs";
import { FILE_LIMITS, readTextFile } from "./files.js";
import { basename, join } from "node:path";
import {
  findDuplicateRuns,
  parseDistillationCsv,
  parseSupervisedCsv,
  RunDataError,
  type ParsedDistillationRun,
  type ParsedSupervisedRun,
} from "../core/fitting/runs.js";

export const SUPERVISED_FILE = "supervised.csv";
export const DISTILLATION_FILE = "distillation.csv";
export const METADATA_FILE = "dataset.json";

/** Optional dataset.json of a data set folder. */
export interface DatasetMetadata {
  label?: string;
  description?: string;
  /** True for generated data, which the site must label as such. */
  synthetic?: boolean;
  [key: string]: unknown;
}

export interface Dataset {
  /** The folder's name, used as the data set's id. */
  id: string;
  folder: string;
  metadata: DatasetMetadata;
  supervised: ParsedSupervisedRun[];
  /** Empty when the folder has no distillation.csv. */
  distillation: ParsedDistillationRun[];
  /** Groups of line numbers of exactly repeated runs, to be reported (they are not errors). */
  duplicates: { supervised: number[][]; distillation: number[][] };
}

function readMetadata(folder: string, id: string): DatasetMetadata {
  const path = join(folder, METADATA_FILE);
  if (!existsSync(path)) return {};
  const file = `${id}/${METADATA_FILE}`;
  const text = readTextFile(path, file, FILE_LIMITS.coefficients);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunDataError(file, 0, undefined, `expected valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RunDataError(file, 0, undefined, "expected a JSON object with optional label, description and synthetic");
  }
  const metadata = value as DatasetMetadata;
  for (const key of ["label", "description"] as const) {
    if (metadata[key] !== undefined && typeof metadata[key] !== "string") {
      throw new RunDataError(file, 0, key, `expected a string, got ${JSON.stringify(metadata[key])}`);
    }
  }
  if (metadata.synthetic !== undefined && typeof metadata.synthetic !== "boolean") {
    throw new RunDataError(file, 0, "synthetic", `expected true or false, got ${JSON.stringify(metadata.synthetic)}`);
  }
  return metadata;
}

/**
 * Reads supervised.csv (required), distillation.csv (optional) and dataset.json (optional) from a
 * folder. File names in errors are prefixed with the folder's name, since several folders are read
 * at build time. Run counts are not checked here: that depends on which coefficients the caller fixes
 * (see checkRunCount).
 */
export function readDataset(folder: string): Dataset {
  const id = basename(folder.replace(/[\\/]+$/, ""));
  const supervisedPath = join(folder, SUPERVISED_FILE);
  const distillationPath = join(folder, DISTILLATION_FILE);
  const hasDistillation = existsSync(distillationPath);
  if (!existsSync(supervisedPath)) {
    throw new RunDataError(
      `${id}/${SUPERVISED_FILE}`, 0, undefined,
      hasDistillation
        ? `missing, but ${DISTILLATION_FILE} is present; the distillation law needs the supervised fit (for L~_S), so add the supervised runs`
        : `missing; a data set folder needs ${SUPERVISED_FILE} (columns N, D, L) and optionally ${DISTILLATION_FILE}`,
    );
  }
  const supervised = parseSupervisedCsv(readTextFile(supervisedPath, `${id}/${SUPERVISED_FILE}`, FILE_LIMITS.runs), `${id}/${SUPERVISED_FILE}`);
  const distillation = hasDistillation
    ? parseDistillationCsv(readTextFile(distillationPath, `${id}/${DISTILLATION_FILE}`, FILE_LIMITS.runs), `${id}/${DISTILLATION_FILE}`)
    : [];
  return {
    id,
    folder,
    metadata: readMetadata(folder, id),
    supervised,
    distillation,
    duplicates: { supervised: findDuplicateRuns(supervised), distillation: findDuplicateRuns(distillation) },
  };
}

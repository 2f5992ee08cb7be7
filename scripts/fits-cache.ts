// Keeps Framework's cached build-time fits honest. Framework re-runs a data loader only when the
// loader file is newer than its cached output (node_modules/@observablehq/framework/dist/loader.js:
// `cacheStat.mtimeMs < loaderStat.mtimeMs`), so a new, edited or removed data set under
// src/data/runs/, a change to the fitter the loader imports, or another DP_BOOTSTRAP_RESAMPLES
// would otherwise be answered with the old fits ("[fresh]"). This step (run before every
// `npm run build` and `npm run dev`) hashes everything the fits depend on and, when the hash
// differs from the one recorded beside the cache, deletes the cached archive and the files
// Framework extracted from it, so the next load refits.
//
// Inputs hashed: every file under src/data/runs/ (path and bytes), every local module the loader
// imports (found by esbuild, so a new import is covered without a list to maintain) with all of
// src/node/, and the
// environment variables the loader reads.

import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_RESAMPLES } from "../src/core/ensemble/bootstrap.js";

export const FITS_LOADER = join("src", "data", "fits.zip.ts");
/** Environment variables src/data/fits.zip.ts reads, with the defaults it uses. */
const LOADER_ENVIRONMENT: Record<string, string> = { DP_BOOTSTRAP_RESAMPLES: String(DEFAULT_RESAMPLES) };

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** Local source files the loader imports, directly or not, relative to the project root. */
async function loaderModules(root: string): Promise<string[]> {
  const result = await build({
    // src/node/ is listed whole: its worker entry is loaded by URL, which esbuild does not follow.
    entryPoints: [join(root, FITS_LOADER), ...filesUnder(join(root, "src", "node")).filter((p) => p.endsWith(".ts"))], bundle: true, write: false, metafile: true,
    platform: "node", format: "esm", packages: "external", logLevel: "silent", outdir: join(root, ".fits-cache-unused"),
  });
  return Object.keys(result.metafile.inputs).map((path) => relative(root, join(root, path))).sort();
}

/** A hash of everything the cached fits depend on. */
export async function fitsInputsHash(root: string, environment: NodeJS.ProcessEnv = process.env): Promise<string> {
  const hash = createHash("sha256");
  const files = [...new Set([...filesUnder(join(root, "src", "data", "runs")).map((p) => relative(root, p)), ...await loaderModules(root)])].sort();
  for (const file of files) {
    // Separators are normalised so the hash is the same on every platform.
    hash.update(file.split(sep).join("/")).update("\0").update(readFileSync(join(root, file))).update("\0");
  }
  for (const [name, fallback] of Object.entries(LOADER_ENVIRONMENT)) hash.update(`${name}=${environment[name] ?? fallback}\0`);
  return hash.digest("hex");
}

/**
 * Deletes the cached fits when their inputs changed since they were cached. Returns what it did,
 * for the log line.
 */
export async function invalidateStaleFits(root: string, environment: NodeJS.ProcessEnv = process.env): Promise<"unchanged" | "invalidated"> {
  const cache = join(root, "src", ".observablehq", "cache", "data");
  const stampPath = join(cache, "fits.inputs-sha256");
  const current = await fitsInputsHash(root, environment);
  const recorded = existsSync(stampPath) ? readFileSync(stampPath, "utf8").trim() : null;
  if (recorded === current) return "unchanged";
  // The archive and every file Framework inflated from it (data/fits/*): each is "fresh" to
  // Framework as long as it is newer than the loader, so all must go.
  rmSync(join(cache, "fits.zip"), { force: true });
  rmSync(join(cache, "fits"), { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  writeFileSync(stampPath, `${current}\n`);
  return "invalidated";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const outcome = await invalidateStaleFits(root);
  process.stderr.write(outcome === "invalidated"
    ? "[fits-cache] run data, fitter or DP_BOOTSTRAP_RESAMPLES changed since the cached fits: they will be refitted\n"
    : "[fits-cache] cached fits are up to date\n");
}

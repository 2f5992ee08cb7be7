// Fills Observable Framework's npm cache (src/.observablehq/cache/_npm) from node_modules so that
// `observable build` and `observable preview` never reach jsDelivr or the npm registry.
//
// Framework resolves every `npm:NAME` it meets (its own runtime asks for d3-dsv, htl, apache-arrow
// and @duckdb/duckdb-wasm) by first looking for a folder _npm/NAME@VERSION in that cache and only
// then asking the registry; it downloads a file only if _npm/NAME@VERSION/FILE is missing. So we
// bundle those packages from node_modules with esbuild into the files Framework expects, and make
// version folders for the libraries its client merely mentions (lodash, leaflet, ...), which no
// page here uses. A page that starts using one of those fails the offline build loudly
// (scripts/offline-guard.mjs) instead of silently fetching it.
//
// Also writes the self-hosted Source Serif 4 stylesheet imported by src/style.css.

import { build, type Plugin } from "esbuild";
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const cacheRoot = join(projectRoot, "src", ".observablehq", "cache");
const npmCache = join(cacheRoot, "_npm");

/** The DuckDB-wasm version Framework 1.13.4 hard-codes (DUCKDB_WASM_VERSION in its duckdb.js). */
const FRAMEWORK_DUCKDB_WASM = "1.29.0";

/**
 * Packages bundled from node_modules: those Framework's runtime imports as `npm:NAME`, and the
 * installed libraries behind its implicit globals (Plot, d3, aq), so that a page may use those
 * globals too; pages here import the same libraries by bare name, which Framework resolves from
 * node_modules itself (src/.observablehq/cache/_node).
 */
const BUNDLED = [
  "d3-dsv", "htl", "isoformat", "apache-arrow", "@duckdb/duckdb-wasm", "d3", "@observablehq/plot", "arquero", "comlink",
];

/** Packages bundled above that others import: kept external so that there is one copy (DuckDB's
 * query results must be instances of the same Arrow classes the client checks against). */
const SHARED = ["apache-arrow"];

/** Files DuckDBClient loads at run time (see Framework's client/stdlib/duckdb.js). */
const DUCKDB_FILES = [
  "dist/duckdb-mvp.wasm",
  "dist/duckdb-browser-mvp.worker.js",
  "dist/duckdb-eh.wasm",
  "dist/duckdb-browser-eh.worker.js",
];

/**
 * Libraries Framework's client bundle refers to lazily (recommendedLibraries.js, fileAttachment.js,
 * sampleDatasets.js). Building the client resolves their versions even when no page uses them; a
 * folder per package answers that without the registry. The version is only a name.
 */
const MENTIONED_ONLY = [
  "lodash", "echarts", "leaflet", "mapbox-gl", "react", "react-dom", "topojson-client",
  "@observablehq/sample-datasets", "parquet-wasm", "@viz-js/viz", "mermaid", "katex", "sql.js", "exceljs", "jszip",
  "vega", "vega-lite", "vega-lite-api", "@uwdata/vgplot",
];
const UNAVAILABLE_VERSION = "0.0.0-offline";

function installedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(packageJsonPath(name), "utf-8"));
  return pkg.version;
}

/** The copy a bare import from the project root gets: npm hoists these packages to the top. */
function packageJsonPath(name: string): string {
  const path = join(projectRoot, "node_modules", name, "package.json");
  if (!existsSync(path)) throw new Error(`${name} is not installed at the top of node_modules: run npm ci`);
  return path;
}

function cacheDir(name: string, version: string): string {
  return join(npmCache, `${name}@${version}`);
}

/** Rewrites imports of the shared packages to their cache files, relative to `fromDir`. */
function sharedExternals(fromDir: string): Plugin {
  return {
    name: "shared-externals",
    setup(b) {
      const filter = new RegExp(`^(${SHARED.map((s) => s.replace(/[/.]/g, "\\$&")).join("|")})$`);
      b.onResolve({ filter }, ({ path, kind }) => kind === "entry-point" ? undefined : ({
        path: relative(fromDir, join(cacheDir(path, installedVersion(path)), "_esm.js")).split("\\").join("/"),
        external: true,
      }));
    },
  };
}

async function bundle(name: string): Promise<void> {
  const version = installedVersion(name);
  const outDir = cacheDir(name, version);
  const outFile = join(outDir, "_esm.js");
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [name],
    absWorkingDir: projectRoot,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    outfile: outFile,
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [sharedExternals(outDir)],
  });
}

async function copyDuckDBFiles(): Promise<void> {
  const version = installedVersion("@duckdb/duckdb-wasm");
  if (version !== FRAMEWORK_DUCKDB_WASM) {
    throw new Error(
      `Framework requests @duckdb/duckdb-wasm@${FRAMEWORK_DUCKDB_WASM} but ${version} is installed; pin it in package.json`,
    );
  }
  const packageDir = dirname(packageJsonPath("@duckdb/duckdb-wasm"));
  for (const file of DUCKDB_FILES) {
    const target = join(cacheDir("@duckdb/duckdb-wasm", version), file);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(packageDir, file), target);
  }
}

/** The cache folders of a package, one per version: _npm/NAME@VERSION. */
async function versionFolders(name: string): Promise<string[]> {
  const parent = dirname(cacheDir(name, "x"));
  const base = name.split("/").pop();
  if (!existsSync(parent)) return [];
  return (await readdir(parent)).filter((e) => e.startsWith(`${base}@`)).map((e) => join(parent, e));
}

async function makeVersionFolders(): Promise<void> {
  for (const name of MENTIONED_ONLY) {
    if ((await versionFolders(name)).length === 0) await mkdir(cacheDir(name, UNAVAILABLE_VERSION), { recursive: true });
  }
}

/**
 * Source Serif 4 (the theme's body font) from @fontsource-variable, Latin subsets only, inlined as
 * data URLs: Framework bundles stylesheets with esbuild, which has no loader for font files.
 */
async function writeFontStylesheet(): Promise<void> {
  const dir = join(dirname(packageJsonPath("@fontsource-variable/source-serif-4")), "files");
  const faces: string[] = [];
  for (const style of ["normal", "italic"]) {
    for (const [subset, range] of [
      ["latin", "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"],
      ["latin-ext", "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF"],
    ]) {
      const font = await readFile(join(dir, `source-serif-4-${subset}-wght-${style}.woff2`));
      faces.push(
        `@font-face{font-family:"Source Serif 4";font-style:${style};font-display:swap;font-weight:200 900;` +
          `src:url(data:font/woff2;base64,${font.toString("base64")}) format("woff2-variations");unicode-range:${range}}`,
      );
    }
  }
  const target = join(cacheRoot, "_fonts", "source-serif-4.css");
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, faces.join("\n") + "\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  // Rebuilt each time so the cache always matches node_modules (a few hundred ms).
  for (const name of BUNDLED) for (const dir of await versionFolders(name)) await rm(dir, { recursive: true, force: true });
  await Promise.all(BUNDLED.map(bundle));
  await copyDuckDBFiles();
  await makeVersionFolders();
  await writeFontStylesheet();
  console.log(`prepared offline npm cache in ${Math.round(performance.now() - started)} ms`);
}

await main();

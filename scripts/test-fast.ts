// `npm run test:fast`: the unit tests minus the slow files, for the edit-test loop. The slow ones
// spawn the CLI, fit laws, draw bootstrap ensembles, start worker threads or DuckDB, solve every
// member of an ensemble, or compare against dense brute-force searches; each took about 9 s or more alone (most of them 20-90 s)
// on the two-core machine, where the rest take 1-9 s. `npm run test:unit` still runs every file,
// and `npm test` runs that.
//
// Arguments are passed on to `tsx --test` (for example --test-name-pattern=...).

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const testFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "test");

const SLOW: Record<string, string> = {
  "bootstrap-workers.test.ts": "bootstrap ensembles in worker threads",
  "coefficient-bounds.test.ts": "fits and a 50-member bootstrap",
  "ensemble-coverage.test.ts": "fits and bootstrap ensembles, in worker threads too",
  "fitter.test.ts": "fits both laws on many data sets",
  "lifetime-uncertainty.test.ts": "lifetime searches on every member of Table 6's 200-member ensemble",
  "optimizer.test.ts": "dense brute-force searches beside the optimiser",
  "recovery.test.ts": "fits and bootstraps synthetic runs, in worker threads",
  "runs-sandbox.test.ts": "starts DuckDB",
  "within-domain.test.ts": "brute-force grids over the domain's box",
  "yourruns.test.ts": "the page's fit job beside `npm run fit`",
};
/** Every test of the CLI spawns it, once or more per test. */
const isSlow = (file: string) => file.startsWith("cli-") || file in SLOW;

const files = readdirSync(testFolder).filter((file) => file.endsWith(".test.ts")).sort();
// A renamed or removed slow file would otherwise be dropped from this list without a word.
const missing = Object.keys(SLOW).filter((file) => !files.includes(file));
if (missing.length > 0) {
  process.stderr.write(`scripts/test-fast.ts: no test/${missing.join(", test/")}: update SLOW\n`);
  process.exit(1);
}
const fast = files.filter((file) => !isSlow(file)).map((file) => join("test", file));
const result = spawnSync("tsx", ["--test", "--test-reporter=spec", ...process.argv.slice(2), ...fast], { stdio: "inherit" });
if (result.error) throw result.error;
process.exit(result.status ?? 1);

// npm run measure:fit-scale: the supervised fit at 1e5 runs, timed end to end through the CLI
// (`npm run fit -- --supervised FILE`, progress on stderr), and the subsampled screening checked
// against the full search on a size where the full search is feasible.
//   npx tsx bench/fit-scale.ts [--runs 100000] [--compare 5000]
// Runs: N log-uniform in [5e7, 1e10], D = N x tokens-per-parameter log-uniform in [5, 500], L from
// Table 6's supervised law times exp(0.004 z), z standard normal; seeded, so a rerun draws the same.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomLcg, randomNormal } from "d3-random";
import { supervisedLoss, TABLE6 } from "../src/core/laws/laws.js";
import { fitSupervised } from "../src/core/fitting/fitSearch.js";
import type { SupervisedRun } from "../src/core/fitting/runs.js";

export function scaleRuns(count: number, seed = 18): SupervisedRun[] {
  const random = randomLcg(seed);
  const normal = randomNormal.source(random)(0, 0.004);
  return Array.from({ length: count }, () => {
    const N = Math.exp(Math.log(5e7) + random() * Math.log(1e10 / 5e7));
    const D = N * Math.exp(Math.log(5) + random() * Math.log(100));
    return { N, D, L: supervisedLoss(TABLE6.supervised, N, D) * Math.exp(normal()) };
  });
}

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};

function cliFit(count: number): void {
  const folder = mkdtempSync(join(tmpdir(), "fit-scale-"));
  const file = join(folder, "supervised.csv");
  writeFileSync(file, `N,D,L\n${scaleRuns(count).map((r) => `${r.N},${r.D},${r.L}`).join("\n")}\n`);
  const root = fileURLToPath(new URL("..", import.meta.url));
  // GNU time reports the CPU time too: on a shared machine the wall time says more about the load.
  const timeFile = join(folder, "time.txt");
  const command = [process.execPath, "--import", "tsx", "src/cli/fit.ts", "--supervised", file];
  const timed = existsSync("/usr/bin/time");
  const started = performance.now();
  const result = spawnSync(timed ? "/usr/bin/time" : command[0], timed ? ["-f", "%U %S %M", "-o", timeFile, ...command] : command.slice(1), {
    cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`fit exited ${result.status}`);
  const output = JSON.parse(result.stdout);
  const [user, system, kilobytes] = timed ? readFileSync(timeFile, "utf8").trim().split(/\s+/).map(Number) : [NaN, NaN, NaN];
  console.log(`fit --supervised (${count} runs): ${seconds.toFixed(1)} s end to end` +
    (timed ? ` (CPU ${(user + system).toFixed(1)} s, peak memory ${(kilobytes / 1024).toFixed(0)} MB)` : "") +
    `, objective ${output.supervised.objective.toExponential(10)}, converged ${output.supervised.converged}`);
  console.log(`  ${Object.entries(output.supervised.coefficients).map(([k, v]) => `${k}=${(v as number).toPrecision(5)}`).join(" ")}`);
}

function compare(count: number): void {
  const runs = scaleRuns(count, 19);
  let started = performance.now();
  const sampled = fitSupervised(runs);
  const sampledSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const full = fitSupervised(runs, { search: { screenRuns: Infinity } });
  const fullSeconds = (performance.now() - started) / 1000;
  const relative = (sampled.objective - full.objective) / full.objective;
  console.log(`${count} runs: screening on a 1024-run sample ${sampledSeconds.toFixed(1)} s, objective ${sampled.objective.toExponential(10)}; ` +
    `full search ${fullSeconds.toFixed(1)} s, objective ${full.objective.toExponential(10)}; relative difference ${relative.toExponential(2)}`);
}

if (process.argv[1]?.endsWith("fit-scale.ts")) cliFit(argument("runs", 100_000));
const comparison = argument("compare", 5_000);
if (process.argv[1]?.endsWith("fit-scale.ts") && comparison > 0) compare(comparison);

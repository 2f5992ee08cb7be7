import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs a CLI entry (a TypeScript file under the repository) through tsx, as `npm run` does. */
export function runCommand(entry: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", entry, ...args], { cwd: root, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Both CLIs' contract for bad input: a non-zero exit, nothing on stdout, one line on stderr matching `message`. */
export function assertRejected(result: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.notEqual(result.status, 0);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  assert.match(result.stderr.trim(), message);
}

/** Runs the planner CLI. */
export const plan = (...args: string[]) => runCommand("src/cli/plan.ts", args);

/** Runs the planner CLI, which must succeed, and returns what it wrote to stdout. */
export function planOutput(...args: string[]): string {
  const result = plan(...args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** The planner's strategies in the order its rows list them. */
export const EVERY_STRATEGY = ["supervised", "best-case", "teacher-inference", "teacher-pretraining", "teacher-pretraining-inference"] as const;

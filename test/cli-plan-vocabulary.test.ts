// `npm run plan` says which vocabulary Eq. 69's FLOPs per token use: --n-vocab, the coefficient
// file's recorded "n_vocab", or the paper's 32,168; and uses that one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TABLE6 } from "../src/core/laws/laws.js";
import { assertRejected, runCommand } from "./cli-helpers.js";

const plan = (...args: string[]) => runCommand("src/cli/plan.ts", ["--student", "546M", "--budget", "1e21", "--format", "json", ...args]);
const dir = mkdtempSync(join(tmpdir(), "plan-vocabulary-"));
const file = (name: string, extra: Record<string, unknown>) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, ...extra }));
  return path;
};

test("plan names the vocabulary of its FLOPs and where it comes from", () => {
  const paper = plan();
  assert.equal(paper.status, 0, paper.stderr);
  assert.match(paper.stderr, /^plan: FLOPs per token with n_vocab = 32,168, the paper's; --n-vocab sets another$/m);
  assert.equal(JSON.parse(paper.stdout).inputs.flopsModel.nVocab, 32168);

  const given = plan("--n-vocab", "50304");
  assert.match(given.stderr, /n_vocab = 50,304 \(--n-vocab\)/);
  assert.equal(JSON.parse(given.stdout).inputs.flopsModel.nVocab, 50304);

  const recorded = file("recorded.json", { n_vocab: 50304 });
  const fromFile = plan("--coefficients", recorded);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.match(fromFile.stderr, /n_vocab = 50,304, the vocabulary .*recorded\.json records/);
  assert.equal(JSON.parse(fromFile.stdout).inputs.flopsModel.nVocab, 50304);
  // The argument wins over the file.
  assert.equal(JSON.parse(plan("--coefficients", recorded, "--n-vocab", "65536").stdout).inputs.flopsModel.nVocab, 65536);

  const none = plan("--coefficients", file("none.json", {}));
  assert.match(none.stderr, /n_vocab = 32,168, the paper's \(.*none\.json records none\)/);
  // F(N) = 2N has no vocabulary term: nothing to say.
  assert.doesNotMatch(plan("--flops", "2N").stderr, /n_vocab/);
  assertRejected(plan("--coefficients", file("bad.json", { n_vocab: "big" })), /bad\.json: n_vocab must be a whole number of tokens \(at least 2\), got "big"/);
});

// The one coefficient-set check: what it accepts (every set the project writes), what it refuses
// (the tampered sets), that it names the field, and that the CLI and the stored sets use it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateCoefficientSet, validateDomain, validateEnsemble, MAX_NESTING } from "../src/core/ensemble/validateCoefficientSet.js";
import { TABLE6 } from "../src/core/laws/laws.js";
import { paperDesignDomain } from "../src/core/ensemble/parametricBootstrap.js";
import { checkStoredSet } from "../src/components/state/storedSets.js";
import { PAPER_ENSEMBLE_FILE } from "../src/cli/ensembleFile.js";
import { assertRejected, runCommand } from "./cli-helpers.js";

const paperFile = JSON.parse(readFileSync(PAPER_ENSEMBLE_FILE, "utf8"));
const member = { supervised: { ...TABLE6.supervised }, distillation: { ...TABLE6.distillation } };
const fitJson = (overrides: Record<string, unknown> = {}) => ({
  supervised: { coefficients: { ...TABLE6.supervised } },
  distillation: { coefficients: { ...TABLE6.distillation } },
  ensemble: { kind: "bootstrap", description: "three", members: [member, member, member], requested: 3, leftOut: 0, seed: 1 },
  domain: paperDesignDomain(TABLE6),
  ...overrides,
});

function refusal(value: unknown): string {
  const checked = validateCoefficientSet(value);
  assert.equal(checked.ok, false, "expected a refusal");
  return checked.ok ? "" : checked.error;
}

test("every layout the project writes passes, and reads back as written", () => {
  const paper = validateCoefficientSet(paperFile);
  assert.ok(paper.ok, paper.ok ? "" : paper.error);
  if (paper.ok) {
    assert.deepEqual(paper.value.supervised, paperFile.supervised.coefficients ?? paperFile.supervised);
    assert.equal(paper.value.ensemble!.members.length, paperFile.ensemble.members.length);
    assert.deepEqual(paper.value.ensemble!.members, paperFile.ensemble.members);
  }
  const plain = validateCoefficientSet({ supervised: TABLE6.supervised, distillation: TABLE6.distillation });
  assert.ok(plain.ok);
  if (plain.ok) {
    assert.deepEqual(plain.value.supervised, TABLE6.supervised);
    assert.equal(plain.value.ensemble, null);
    assert.equal(plain.value.domain, null);
  }
  const fitted = validateCoefficientSet(fitJson());
  assert.ok(fitted.ok);
  if (fitted.ok) assert.deepEqual(fitted.value.domain, paperDesignDomain(TABLE6));
  // The older stored layout: `samples` with `bootstrap`.
  const older = validateCoefficientSet({ supervised: { coefficients: TABLE6.supervised }, samples: [member, member], bootstrap: { resamples: 3, seed: 7 } });
  assert.ok(older.ok);
  if (older.ok) assert.deepEqual([older.value.ensemble!.requested, older.value.ensemble!.leftOut, older.value.ensemble!.seed], [3, 1, 7]);
  // A supervised-only set.
  const supervisedOnly = validateCoefficientSet({ supervised: TABLE6.supervised });
  assert.ok(supervisedOnly.ok && supervisedOnly.value.distillation === null);
});

test("the issue's tampered sets get one message naming the field", () => {
  const withMember = (i: number, m: unknown) => fitJson({ ensemble: { ...fitJson().ensemble, members: [member, member, member].map((x, j) => (j === i ? m : x)) } });
  assert.equal(refusal(withMember(2, { ...member, supervised: { ...TABLE6.supervised, E: -5 } })),
    "ensemble.members[2].supervised.E: expected a loss >= 0 and <= ln(n_vocab) = 10.379 nats, got -5");
  assert.equal(refusal(fitJson({ supervised: { coefficients: { ...TABLE6.supervised, A: 0 } } })), "supervised.coefficients.A: expected a number > 0, got 0");
  assert.equal(refusal(fitJson({ supervised: { coefficients: { ...TABLE6.supervised, gamma: -1 } } })), "supervised.coefficients.gamma: expected a finite number >= 0, got -1");
  assert.equal(refusal(fitJson({ ensemble: { members: [1, "x", null] } })), "ensemble.members[0]: expected an object, got 1");
  assert.equal(refusal(fitJson({ ensemble: { members: [member, "x"] } })), "ensemble.members[1]: expected an object, got \"x\"");
  assert.equal(refusal(fitJson({ ensemble: { members: [] } })), "ensemble.members: expected at least one member, got an empty array");
  assert.equal(refusal(fitJson({ distillation: { coefficients: { ...TABLE6.distillation, f1: Number.NaN } } })), "distillation.coefficients.f1: expected a number > 0, got NaN");
  assert.equal(refusal({ distillation: TABLE6.distillation }), "supervised: missing: a set needs at least the supervised law");
  assert.equal(refusal([1, 2]), "expected an object, got an array of 2");
  // A loss above ln(n_vocab) is no cross-entropy over that vocabulary.
  assert.match(refusal({ supervised: { ...TABLE6.supervised, E: 11 } }), /^supervised\.E: expected a loss >= 0 and <= ln\(n_vocab\) = 10\.379 nats, got 11$/);
  assert.ok(validateCoefficientSet({ supervised: { ...TABLE6.supervised, E: 11 } }, { nVocab: 256000 }).ok);
  // Ensemble counts.
  assert.equal(refusal(fitJson({ ensemble: { ...fitJson().ensemble, requested: 5, leftOut: 1 } })), "ensemble.requested: 5 is not members (3) + leftOut (1)");
  assert.equal(refusal(fitJson({ ensemble: { ...fitJson().ensemble, kind: "jackknife" } })), "ensemble.kind: expected \"bootstrap\" or \"parametric-bootstrap\", got \"jackknife\"");
});

test("domains: the issue's {\"supervised\":{}}, zero edges and a missing source are refused by field", () => {
  const domain = paperDesignDomain(TABLE6);
  assert.equal(refusal(fitJson({ domain: { supervised: {} } })), "domain.source: expected a sentence naming the runs, got undefined");
  assert.equal(refusal(fitJson({ domain: { source: "runs", supervised: {} } })), "domain.supervised.parameters: expected an object, got undefined");
  const zero = { ...domain, supervised: { ...domain.supervised, parameters: { min: 0, max: 0 } } };
  assert.equal(refusal(fitJson({ domain: zero })), "domain.supervised.parameters.min: expected a finite number > 0 (a zero edge is no domain), got 0");
  const reversed = { ...domain, supervised: { ...domain.supervised, tokens: { min: 2e10, max: 1e9 } } };
  assert.equal(refusal(fitJson({ domain: reversed })), "domain.supervised.tokens: min 20000000000 is above max 1000000000");
  const { source: _source, ...unsourced } = domain;
  assert.match(refusal(fitJson({ domain: unsourced })), /^domain\.source: /);
  assert.ok(validateDomain(domain).ok);
  assert.ok(!validateDomain({ ...domain, distillation: { ...domain.distillation!, teacherLoss: { min: 0, max: 2 } } }).ok);
});

test("nesting is measured without recursion: a deeply nested array is a message, not a stack overflow", () => {
  let deep: unknown = 1;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const message = refusal({ supervised: TABLE6.supervised, domain: deep });
  assert.match(message, new RegExp(`^domain(\\[0\\])+: nested more than ${MAX_NESTING} levels deep`));
  assert.ok(message.length < 400, "the path shown stops at the limit");
  assert.ok(!validateEnsemble(deep).ok);
});

test("stored sets are checked when read: a tampered record is unusable, with the field", () => {
  const good = checkStoredSet({ id: "user:good", name: "good", created: "2026-01-01", fit: fitJson(), domain: paperDesignDomain(TABLE6) });
  assert.ok(good.ok);
  if (good.ok) {
    assert.equal(good.option.ensemble!.members.length, 3);
    assert.deepEqual(good.option.supervised, TABLE6.supervised);
  }
  const tampered = fitJson({ ensemble: { members: [member, member, { ...member, supervised: { ...TABLE6.supervised, E: -5 } }] } });
  const bad = checkStoredSet({ id: "user:bad", name: "bad", created: "2026-01-01", fit: tampered, domain: null });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.deepEqual(bad.unusable, { id: "user:bad", name: "bad", problem: "ensemble.members[2].supervised.E: expected a loss >= 0 and <= ln(n_vocab) = 10.379 nats, got -5" });
  const badDomain = checkStoredSet({ id: "user:d", name: "d", created: "x", fit: fitJson({ domain: undefined }), domain: { supervised: {} } });
  assert.ok(!badDomain.ok && /^domain\.source/.test(badDomain.unusable.problem));
  for (const junk of [null, 7, "x", { id: "user:j" }, { id: "other", fit: fitJson() }]) assert.equal(checkStoredSet(junk).ok, false);
});

test("the CLI's --coefficients goes through the same check: one line naming the file and field, exit 2, within 10 s", () => {
  const dir = mkdtempSync(join(tmpdir(), "validate-"));
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };
  const deep = `{"supervised":${JSON.stringify(TABLE6.supervised)},"domain":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
  const cases: [string, RegExp][] = [
    [write("domain-empty.json", fitJson({ domain: { supervised: {} } })), /: domain\.source: expected a sentence naming the runs, got undefined$/],
    [write("domain-zero.json", fitJson({ domain: { ...paperDesignDomain(TABLE6), supervised: { ...paperDesignDomain(TABLE6).supervised, parameters: { min: 0, max: 0 } } } })), /: domain\.supervised\.parameters\.min: expected a finite number > 0/],
    [write("negative-E.json", fitJson({ ensemble: { members: [member, member, { ...member, supervised: { ...TABLE6.supervised, E: -5 } }] } })), /: ensemble\.members\[2\]\.supervised\.E: expected a loss >= 0/],
    [write("members-junk.json", fitJson({ ensemble: { members: [1, "x", null] } })), /: ensemble\.members\[0\]: expected an object, got 1$/],
    [write("deep.json", deep), /: domain(\[0\])+: nested more than 32 levels deep/],
  ];
  for (const [file, message] of cases) {
    const started = Date.now();
    const result = runCommand("src/cli/plan.ts", ["--student", "1B", "--budget", "1e21", "--coefficients", file]);
    assertRejected(result, new RegExp(`^plan: --coefficients ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}${message.source}`));
    assert.equal(result.status, 2);
    assert.ok(Date.now() - started < 10_000, `${file} took ${Date.now() - started} ms`);
  }
});

test("fit refuses losses outside the accepted range, naming the file, line and column", () => {
  const dir = mkdtempSync(join(tmpdir(), "validate-fit-"));
  const file = join(dir, "tiny-losses.csv");
  writeFileSync(file, `N,D,L\n${Array.from({ length: 12 }, (_, i) => `${1e8 * (i + 1)},${2e9 * (i + 1)},1e-300`).join("\n")}\n`);
  const result = runCommand("src/cli/fit.ts", ["--supervised", file, "--quiet"]);
  assertRejected(result, /tiny-losses\.csv line 2, column L: expected a cross-entropy from 0\.01 to 100 nats, got "1e-300"/);
  assert.equal(result.status, 2);
});

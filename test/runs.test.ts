import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { INPUT_LIMITS } from "../src/core/inputs/inputLimits.js";
import {
  checkRunCount,
  distinctRunCount,
  DISTILLATION_FREE_COEFFICIENTS,
  distillationRunsToCsv,
  findDuplicateRuns,
  parseDistillationCsv,
  parsePositiveNumber,
  parseSupervisedCsv,
  RunDataError,
  SUPERVISED_FREE_COEFFICIENTS,
  supervisedRunsToCsv,
  type DistillationRun,
  type SupervisedRun,
} from "../src/core/fitting/runs.js";
import { readDataset } from "../src/node/datasets.js";

const BAD = fileURLToPath(new URL("./fixtures/bad/", import.meta.url));
const SYNTHETIC = fileURLToPath(new URL("../src/data/runs/paper-synthetic/", import.meta.url));

function fixture(name: string): string {
  return readFileSync(join(BAD, name), "utf8");
}

/** Asserts that `fn` throws a RunDataError with the given location and a message matching `pattern`. */
function assertRunDataError(
  fn: () => unknown,
  expected: { file: string; line: number; column?: string; message: RegExp | string },
): RunDataError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof RunDataError, `expected a RunDataError, got ${String(caught)}`);
  assert.equal(caught.file, expected.file);
  assert.equal(caught.line, expected.line);
  assert.equal(caught.column, expected.column);
  if (typeof expected.message === "string") assert.equal(caught.message, expected.message);
  else assert.match(caught.message, expected.message);
  assert.ok(!caught.message.includes("\n"), "the message must be one line");
  return caught;
}

test("supervised CSV: plain and exponent numbers, text columns as labels, 1-based lines", () => {
  const text = "N,D,L,protocol,name\n1.82e9,36420000000,2.237,fixed-M,1.82B\n1.434E+8, 2.868e9 ,2.898,\"IsoFLOP, 3e19\",143M\n";
  const runs = parseSupervisedCsv(text, "supervised.csv");
  assert.deepEqual(runs, [
    { N: 1.82e9, D: 3.642e10, L: 2.237, labels: { protocol: "fixed-M", name: "1.82B" }, line: 2 },
    { N: 1.434e8, D: 2.868e9, L: 2.898, labels: { protocol: "IsoFLOP, 3e19", name: "143M" }, line: 3 },
  ]);
});

test("distillation CSV: columns in any order, CRLF line ends, byte-order mark, trailing blank lines", () => {
  const text = "\uFEFFteacher,L_S,L_T,D_T,N_T,D_S,N_S\r\n7.75B,2.5,2.0,1.5494e11,7.747e9,2e10,1.983e8\r\n\r\n\r\n";
  const runs = parseDistillationCsv(text, "distillation.csv");
  assert.deepEqual(runs, [
    { NS: 1.983e8, DS: 2e10, NT: 7.747e9, DT: 1.5494e11, LT: 2.0, LS: 2.5, labels: { teacher: "7.75B" }, line: 2 },
  ]);
});

test("line numbers stay physical when a quoted text cell spans lines", () => {
  const text = 'N,D,L,note\n1e8,2e9,3,"two\nlines"\n2e8,4e9,oops,x\n';
  assertRunDataError(() => parseSupervisedCsv(text, "s.csv"), {
    file: "s.csv", line: 4, column: "L", message: 's.csv line 4, column L: expected a positive finite number, got "oops"',
  });
  assert.equal(parseSupervisedCsv('N,D,L,note\n1e8,2e9,3,"a\r\nb"\n2e8,4e9,2.5,x\n', "s.csv")[1].line, 4);
});

test("bad: non-numeric value names file, line, column and the text found", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("non-numeric.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 14, column: "D",
    message: 'supervised.csv line 14, column D: expected a positive finite number, got "abc"',
  });
});

test("bad: non-finite values (inf, NaN, overflow) are rejected", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("infinite.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 3, column: "D", message: /got "inf"$/,
  });
  assertRunDataError(() => parseDistillationCsv(fixture("nan.csv"), "distillation.csv"), {
    file: "distillation.csv", line: 3, column: "L_T", message: /expected a positive finite number, got "NaN"$/,
  });
  assertRunDataError(() => parseSupervisedCsv(fixture("overflow.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 2, column: "D", message: /got "1e999"$/,
  });
});

test("bad: zero and negative values are rejected", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("zero.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 3, column: "N", message: /expected a positive finite number, got "0"$/,
  });
  assertRunDataError(() => parseSupervisedCsv(fixture("negative.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 2, column: "L", message: /got "-2.898"$/,
  });
});

test("numbers: forms a spreadsheet or a typo produces are rejected, not half-read", () => {
  for (const text of ["", " ", "1,000", "0x10", "Infinity", "1e", "e5", "1.2.3", "12abc", "-0", "1e-400"]) {
    assert.throws(() => parsePositiveNumber(text, "f.csv", 2, "N"), RunDataError, text);
  }
  for (const [text, value] of [["1", 1], ["1.", 1], [".5", 0.5], ["+2.5e3", 2500], ["1.82E9", 1.82e9], [" 7 ", 7]] as const) {
    assert.equal(parsePositiveNumber(text, "f.csv", 2, "N"), value);
  }
});

test("bad: missing column with a did-you-mean for misspellings and synonyms", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("misspelt-loss.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 1, column: "L", message: /missing required column.*found N, D, Loss; did you mean "Loss"\?/,
  });
  assertRunDataError(() => parseDistillationCsv(fixture("misspelt-student-size.csv"), "distillation.csv"), {
    file: "distillation.csv", line: 1, column: "N_S", message: /did you mean "N_s"\? \(names are case-sensitive\)/,
  });
  const error = assertRunDataError(() => parseSupervisedCsv(fixture("missing-column.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 1, column: "D", message: /needs N, D, L, found N, L, name$/,
  });
  assert.ok(!error.message.includes("did you mean"));
});

test("bad: a distillation file given as supervised says so", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("nan.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 1, column: "N", message: /this looks like a distillation file$/,
  });
});

test("bad: empty file and header without runs", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("empty.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 1, message: /the file is empty; expected a header row with the columns N, D, L$/,
  });
  assertRunDataError(() => parseSupervisedCsv("\n\n  \n", "supervised.csv"), {
    file: "supervised.csv", line: 1, message: /the file is empty/,
  });
  assertRunDataError(() => parseSupervisedCsv(fixture("header-only.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 2, message: /expected a run below the header/,
  });
});

test("bad: duplicated header column and unnamed column", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("duplicate-header.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 1, column: "N", message: /duplicated column name \(columns 1 and 4\)/,
  });
  assertRunDataError(() => parseSupervisedCsv("N,D,L,\n1,2,3,\n", "supervised.csv"), {
    file: "supervised.csv", line: 1, message: /column 4 of the header has no name/,
  });
});

test("bad: wrong number of fields in a row", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("wrong-field-count.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 3, message: "supervised.csv line 3: expected 4 fields as in the header, got 3",
  });
});

test("bad: a blank line between runs is an error, not a dropped row", () => {
  assertRunDataError(() => parseSupervisedCsv(fixture("blank-line-inside.csv"), "supervised.csv"), {
    file: "supervised.csv", line: 3, message: /blank line between runs/,
  });
});

test("bad: fewer runs than free coefficients", () => {
  const runs = parseSupervisedCsv(fixture("too-few-runs.csv"), "supervised.csv");
  assertRunDataError(() => checkRunCount(runs, SUPERVISED_FREE_COEFFICIENTS, "supervised.csv"), {
    file: "supervised.csv", line: 0,
    message: "supervised.csv: 3 runs cannot determine 6 free coefficients; add at least 3 more runs or fix 3 coefficients",
  });
  // Fixing three coefficients (e.g. alpha, beta, gamma) leaves a determined fit.
  assert.doesNotThrow(() => checkRunCount(runs, 3, "supervised.csv"));
  assert.throws(() => checkRunCount([], DISTILLATION_FREE_COEFFICIENTS, "d.csv"), /0 runs cannot determine 9/);
});

test("bad: copies of runs do not count toward the minimum; distinct runs do", () => {
  const run = { N: 1e8, D: 2e9, L: 3.1 };
  const copies = Array.from({ length: 73 }, (_, i) => ({ ...run, line: i + 2 }));
  assertRunDataError(() => checkRunCount(copies, SUPERVISED_FREE_COEFFICIENTS, "supervised.csv"), {
    file: "supervised.csv", line: 0,
    message: "supervised.csv: 73 runs (1 distinct: the others repeat one exactly) cannot determine 6 free coefficients; add at least 5 more distinct runs or fix 5 coefficients",
  });
  assert.equal(findDuplicateRuns(copies).length, 1);
  // The same measurement under another label is still a copy; another loss is another run.
  assert.equal(distinctRunCount([run, { ...run, labels: { protocol: "x" } }, { ...run, L: 3.2 }]), 2);
});

test("distinct runs: a property over runs drawn with repeats from a small pool", () => {
  const pool = Array.from({ length: 9 }, (_, i) => ({ N: 1e8 * (1 + (i % 3)), D: 2e9 * (1 + Math.floor(i / 3)), L: 3 - 0.1 * i }));
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 40 }), fc.integer({ min: 0, max: 9 }), (picks, free) => {
    const runs = picks.map((i, k) => ({ ...pool[i], line: k + 2 }));
    const distinct = new Set(picks).size;
    assert.equal(distinctRunCount(runs), distinct);
    assert.equal(runs.length - distinct, findDuplicateRuns(runs).reduce((sum, group) => sum + group.length - 1, 0));
    let refused = false;
    try { checkRunCount(runs, free, "s.csv"); } catch { refused = true; }
    assert.equal(refused, distinct < free);
  }), { seed: 18, numRuns: 200 });
});

test("bad: readDataset with a distillation file but no supervised one", () => {
  assertRunDataError(() => readDataset(join(BAD, "distillation-only")), {
    file: "distillation-only/supervised.csv", line: 0,
    message: /^distillation-only\/supervised\.csv: missing, but distillation\.csv is present/,
  });
});

test("readDataset reads the bundled folder, its metadata, and prefixes file names with the folder", () => {
  const dataset = readDataset(SYNTHETIC);
  assert.equal(dataset.id, "paper-synthetic");
  assert.equal(dataset.metadata.synthetic, true);
  assert.match(dataset.metadata.description ?? "", /SYNTHETIC/);
  assert.ok(dataset.supervised.length >= SUPERVISED_FREE_COEFFICIENTS);
  assert.ok(dataset.distillation.length >= DISTILLATION_FREE_COEFFICIENTS);
  assert.deepEqual(dataset.duplicates, { supervised: [], distillation: [] });

  const folder = mkdtempSync(join(tmpdir(), "runs-"));
  try {
    const named = join(folder, "mine");
    cpSync(join(BAD, "too-few-runs.csv"), join(named, "supervised.csv"));
    const onlySupervised = readDataset(named);
    assert.equal(onlySupervised.distillation.length, 0);
    assert.deepEqual(onlySupervised.metadata, {});
    writeFileSync(join(named, "distillation.csv"), fixture("nan.csv"));
    assertRunDataError(() => readDataset(named), { file: "mine/distillation.csv", line: 3, column: "L_T", message: /NaN/ });
    writeFileSync(join(named, "distillation.csv"), fixture("misspelt-student-size.csv").replace("N_s", "N_S"));
    writeFileSync(join(named, "dataset.json"), JSON.stringify({ label: 3 }));
    assertRunDataError(() => readDataset(named), { file: "mine/dataset.json", line: 0, column: "label", message: /expected a string/ });
    writeFileSync(join(named, "dataset.json"), "{not json");
    assert.throws(() => readDataset(named), /mine\/dataset\.json: expected valid JSON/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("findDuplicateRuns groups exact numeric repeats by line, ignoring text columns", () => {
  const text = "N,D,L,name\n1e8,2e9,3,a\n2e8,4e9,2.5,b\n1e8,2e9,3,c\n1e8,2e9,3.0001,d\n2e8,4e9,2.5,e\n1.0e8,2.0e9,3.0,f\n";
  assert.deepEqual(findDuplicateRuns(parseSupervisedCsv(text, "s.csv")), [[2, 4, 7], [3, 6]]);
  const distillation: DistillationRun[] = [
    { NS: 1, DS: 2, NT: 3, DT: 4, LT: 5, LS: 6 },
    { NS: 1, DS: 2, NT: 3, DT: 4, LT: 5, LS: 7 },
    { NS: 1, DS: 2, NT: 3, DT: 4, LT: 5, LS: 6 },
  ];
  // Runs built in code have no line; their 1-based position stands in.
  assert.deepEqual(findDuplicateRuns(distillation), [[1, 3]]);
  assert.deepEqual(findDuplicateRuns([]), []);
});

const positive = fc.double({ min: 1e-3, max: 1e15, noNaN: true, noDefaultInfinity: true });
// Losses within the accepted range of losses (INPUT_LIMITS.loss): the reader refuses others.
const loss = fc.double({ min: INPUT_LIMITS.loss.min, max: INPUT_LIMITS.loss.max, noNaN: true });
const label = fc.string({ maxLength: 12 });

test("property: writing runs as CSV and parsing them back returns the same runs and lines", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ N: positive, D: positive, L: loss, name: label }), { minLength: 1, maxLength: 20 }),
      (rows) => {
        const runs: SupervisedRun[] = rows.map(({ N, D, L, name }) => ({ N, D, L, labels: { name } }));
        const parsed = parseSupervisedCsv(supervisedRunsToCsv(runs), "s.csv");
        assert.equal(parsed.length, runs.length);
        parsed.forEach((run, i) => {
          assert.deepEqual({ N: run.N, D: run.D, L: run.L, labels: run.labels }, runs[i]);
          // Labels may hold line breaks, so lines only increase; without them they are i + 2.
          if (i > 0) assert.ok(run.line > parsed[i - 1].line);
          if (!rows.slice(0, i).some((r) => /[\r\n]/.test(r.name))) assert.equal(run.line, i + 2);
        });
      },
    ),
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(positive, positive, positive, positive, loss, loss), { minLength: 1, maxLength: 10 }),
      (rows) => {
        const runs: DistillationRun[] = rows.map(([NS, DS, NT, DT, LT, LS]) => ({ NS, DS, NT, DT, LT, LS }));
        const parsed = parseDistillationCsv(distillationRunsToCsv(runs), "d.csv");
        assert.deepEqual(parsed.map(({ line: _line, labels: _labels, ...run }) => run), runs);
      },
    ),
  );
});

test("property: a corrupted numeric cell is always reported at its line and column", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 0, max: 7 }),
      fc.constantFrom("N", "D", "L"),
      fc.constantFrom("x", "-1", "0", "nan", "inf", "", "1e999"),
      (count, target, column, bad) => {
        const row = Math.min(target, count - 1);
        const cells = Array.from({ length: count }, (_, i) => ({ N: `${i + 1}e8`, D: `${i + 1}e9`, L: "2.5" }));
        cells[row][column] = bad;
        const text = "N,D,L\n" + cells.map((c) => `${c.N},${c.D},${c.L}`).join("\n");
        assertRunDataError(() => parseSupervisedCsv(text, "s.csv"), {
          file: "s.csv", line: row + 2, column, message: new RegExp(`got ${JSON.stringify(bad)}$`),
        });
      },
    ),
  );
});

// Files the CLI reads: regular files only, under a size limit, a samplesFile only beside its
// coefficient file, and messages that show at most a short excerpt of a file. Each bad file is
// refused at once (exit 2, one line naming the argument and file).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { TABLE6 } from "../src/core/laws/laws.js";
import { FILE_LIMITS, FileReadError, formatBytes, parseJsonText, readTextFile } from "../src/node/files.js";
import { assertRejected, runCommand } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "cli-files-"));
const fifo = join(dir, "pipe");
assert.equal(spawnSync("mkfifo", [fifo]).status, 0, "mkfifo");
const folder = join(dir, "folder");
mkdirSync(folder);
// Sparse files: their size is past the limits, their disk use is nothing.
const hugeJson = join(dir, "huge.json");
writeFileSync(hugeJson, "");
truncateSync(hugeJson, FILE_LIMITS.coefficients + 1);
const hugeCsv = join(dir, "huge.csv");
writeFileSync(hugeCsv, "");
truncateSync(hugeCsv, FILE_LIMITS.runs + 1);

/** Runs a CLI and checks the contract within 10 s. */
function refused(entry: "plan" | "fit", args: string[], message: RegExp) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", `src/cli/${entry}.ts`, ...args], {
    cwd: new URL("..", import.meta.url), encoding: "utf8", timeout: 10_000,
  });
  assert.equal(result.signal, null, `${entry} ${args.join(" ")} did not end within 10 s`);
  assert.ok(Date.now() - started < 10_000);
  assert.equal(result.status, 2, result.stderr);
  assertRejected({ status: result.status, stdout: result.stdout, stderr: result.stderr }, message);
  return result.stderr;
}

const PLAN = ["--student", "1.82B", "--budget", "1e22"];

test("plan --coefficients: a device, a FIFO, a folder or a file past the limit is refused at once", () => {
  refused("plan", [...PLAN, "--coefficients", "/dev/zero"], /^plan: --coefficients \/dev\/zero: a character device, not a regular file$/);
  refused("plan", [...PLAN, "--coefficients", fifo], /^plan: --coefficients \S+pipe: a FIFO \(named pipe\), not a regular file$/);
  refused("plan", [...PLAN, "--coefficients", folder], /--coefficients \S+folder: a folder, not a regular file$/);
  refused("plan", [...PLAN, "--coefficients", hugeJson], new RegExp(`huge\\.json: the file is ${formatBytes(FILE_LIMITS.coefficients + 1)}, over the ${formatBytes(FILE_LIMITS.coefficients)} limit$`));
  refused("plan", [...PLAN, "--coefficients", join(dir, "absent.json")], /absent\.json: cannot read the file \(ENOENT\)$/);
});

test("fit --supervised and --distillation: a device, a FIFO, a folder or a file past the limit is refused at once", () => {
  refused("fit", ["--supervised", "/dev/zero"], /^fit: --supervised \/dev\/zero: a character device, not a regular file$/);
  refused("fit", ["--supervised", fifo], /^fit: --supervised \S+pipe: a FIFO \(named pipe\), not a regular file$/);
  refused("fit", ["--supervised", folder], /--supervised \S+folder: a folder, not a regular file$/);
  refused("fit", ["--supervised", hugeCsv], new RegExp(`huge\\.csv: the file is ${formatBytes(FILE_LIMITS.runs + 1)}, over the ${formatBytes(FILE_LIMITS.runs)} limit$`));
  const good = join(dir, "good.csv");
  writeFileSync(good, "N,D,L\n1e8,2e9,3.1\n");
  refused("fit", ["--supervised", good, "--distillation", "/dev/zero"], /^fit: --distillation \/dev\/zero: a character device, not a regular file$/);
});

test("a samplesFile is a .json file beside its coefficient file; a bad one is named, never printed", () => {
  const withSamples = (name: string, samplesFile: string) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ supervised: TABLE6.supervised, distillation: TABLE6.distillation, samplesFile }));
    return file;
  };
  for (const named of ["/dev/zero", "/etc/passwd", "../samples.json", "sub/samples.json", "samples.txt", fifo]) {
    refused("plan", [...PLAN, "--coefficients", withSamples("outside.json", named)], /samplesFile must name a \.json file in the same folder, got "/);
  }
  symlinkSync("/dev/zero", join(dir, "zero.json"));
  refused("plan", [...PLAN, "--coefficients", withSamples("zero-link.json", "zero.json")], /samplesFile \S+zero\.json: a character device, not a regular file$/);
  // A file that is not JSON: the message shows where, and a few characters, not the file.
  const secret = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  writeFileSync(join(dir, "passwd.json"), secret);
  const stderr = refused("plan", [...PLAN, "--coefficients", withSamples("passwd-link.json", "passwd.json")], /samplesFile \S+passwd\.json: not valid JSON/);
  assert.doesNotMatch(stderr, /root:x:0/);
  writeFileSync(join(dir, "broken.json"), `{"members": [1, 2,\n ${"x".repeat(500)} ]}`);
  const broken = refused("plan", [...PLAN, "--coefficients", withSamples("broken-link.json", "broken.json")], /broken\.json: not valid JSON/);
  assert.ok(!broken.includes("x".repeat(40)), broken);
});

test("readTextFile returns a regular file's text exactly up to the limit and refuses past it, naming the size (property)", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.integer({ min: 0, max: 1200 }), (text, limit) => {
    const file = join(dir, "property.txt");
    writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    try {
      const read = readTextFile(file, "--x property.txt", limit);
      return bytes <= limit && read === text;
    } catch (error) {
      return bytes > limit && error instanceof FileReadError && error.message === `--x property.txt: the file is ${formatBytes(bytes)}, over the ${formatBytes(limit)} limit`;
    }
  }), { seed: 18, numRuns: 300 });
});

test("a JSON syntax error quotes at most a short excerpt of the text (property)", () => {
  fc.assert(fc.property(fc.string({ minLength: 40, maxLength: 400 }), (text) => {
    const bad = `{"a": [1,${text}`;
    try {
      JSON.parse(bad);
      return true;
    } catch {
      try {
        parseJsonText(bad, "f.json");
        return false;
      } catch (error) {
        const message = (error as Error).message;
        // The label, the reason and line/column take under 100 characters; the excerpt at most 26.
        return error instanceof FileReadError && message.startsWith("f.json: not valid JSON") && message.length <= 160;
      }
    }
  }), { seed: 18, numRuns: 300 });
});

test("fit: 73 copies of one run are refused as one distinct run, at once", () => {
  const copies = join(dir, "copies.csv");
  writeFileSync(copies, `N,D,L\n${"1e8,2e9,3.1\n".repeat(73)}`);
  refused("fit", ["--supervised", copies], /copies\.csv: 73 runs \(1 distinct: the others repeat one exactly\) cannot determine 6 free coefficients/);
});

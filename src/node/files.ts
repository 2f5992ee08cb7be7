// Every file the CLI reads (coefficient JSON, sample files, run CSVs) comes through here, so a
// path that names a FIFO, a device or a folder, or a file too large to hold, is refused at once
// with a message naming it, instead of hanging or filling the memory. docs/security.md lists the
// limits.

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** A file that cannot be read as asked: the message names the file and what is wrong. */
export class FileReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileReadError";
  }
}

const MIB = 1024 * 1024;

/**
 * The largest files read, in bytes. A run row is about 60-100 bytes, so 32 MiB holds some 3e5
 * runs (several times the 1e5 `fit` is measured on); the sample files of a 1e5-member ensemble
 * are about 60 MB.
 */
export const FILE_LIMITS = {
  runs: 32 * MIB,
  coefficients: 128 * MIB,
} as const;

export type FileKind = keyof typeof FILE_LIMITS;

/** "12.3 MB" style sizes for messages (decimal megabytes, as file managers print them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} bytes`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

function kindOfFile(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The text of `path`, which must be a regular file of at most `maxBytes` bytes (UTF-8).
 * `label` starts every message, e.g. "--coefficients plan.json". The file is opened without
 * blocking, so a FIFO with no writer is refused rather than waited on, and at most maxBytes + 1
 * bytes are read, so a file that grows while it is read cannot exceed the limit either.
 */
export function readTextFile(path: string, label: string, maxBytes: number): string {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new FileReadError(`${label}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new FileReadError(`${label}: ${kindOfFile(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new FileReadError(`${label}: the file is ${formatBytes(stats.size)}, over the ${formatBytes(maxBytes)} limit`);
    // Sized from fstat, but read to the end: a file may be longer than it said (or grow).
    const chunks: Buffer[] = [];
    let length = 0;
    let chunk = Buffer.alloc(Math.min(maxBytes, stats.size) + 1);
    for (;;) {
      const read = readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw new FileReadError(`${label}: the file grew past the ${formatBytes(maxBytes)} limit while it was read`);
      chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - length));
    }
    return Buffer.concat(chunks, length).toString("utf8");
  } finally {
    closeSync(descriptor);
  }
}

/** At most `length` characters of `text` around `position`, on one line, for a message. */
export function excerpt(text: string, position: number, length = 24): string {
  const start = Math.max(0, position - Math.floor(length / 2));
  const piece = text.slice(start, start + length).replace(/\s+/g, " ");
  return `${start > 0 ? "…" : ""}${piece}${start + length < text.length ? "…" : ""}`;
}

/**
 * `text` parsed as JSON; a syntax error names the line and column and shows a short excerpt of
 * the file there, never its whole start (a wrong path can name a file that is not meant to be
 * printed).
 */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    // V8 quotes up to ten characters of the text itself ("Unexpected token 'r', "root:x:0:0"...");
    // only the part before the quotation is kept.
    const reason = message.replace(/,? ".*$/s, "").replace(/ in JSON at position \d+.*$/s, "").slice(0, 60);
    if (!at) return fail(`${label}: not valid JSON (${reason})`);
    const position = Number(at[1]);
    const before = text.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    return fail(`${label}: not valid JSON at line ${line}, column ${column} (${reason}): ${JSON.stringify(excerpt(text, position))}`);
  }
}

function fail(message: string): never {
  throw new FileReadError(message);
}

/** A JSON file read under the `coefficients` limit. */
export function readJsonFile(path: string, label: string): unknown {
  return parseJsonText(readTextFile(path, label, FILE_LIMITS.coefficients), label);
}

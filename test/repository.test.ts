import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => !name.split(/[\\/]/).some((part) => part === ".observablehq" || part === "node_modules"))
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile() && /\.(ts|mts|mjs|js|md)$/.test(path));
}

// A fresh clone has nothing beside it: `npm ci && npm test` must pass with the repository alone.
test("no test, script or page reads a file outside the repository", () => {
  const offenders: string[] = [];
  for (const folder of ["src", "test", "scripts", "bench"]) {
    for (const path of sourceFiles(join(root, folder))) {
      if (path === fileURLToPath(import.meta.url)) continue;
      const text = readFileSync(path, "utf8");
      if (/["'`](?:\.\.\/){2,}shared\b|\/work\/shared/.test(text)) offenders.push(relative(root, path));
    }
  }
  assert.deepEqual(offenders, []);
});

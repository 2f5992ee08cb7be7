// A tampered coefficient set in the browser's storage cannot break a page: each page that reads
// stored sets says which field is wrong and computes with Table 6. The record is written into
// IndexedDB by the page itself, as a set stored by an older version or edited in storage would be.

import { test } from "node:test";
import assert from "node:assert/strict";
import { siteSkipReason, withSitePage } from "./harness.js";
import { storeRecord } from "./storage.js";
import { TABLE6 } from "../../src/core/laws/laws.js";

const skip = siteSkipReason();
const BAD_ID = "user:tampered";
const FIELD = "ensemble.members[2].supervised.E: expected a loss >= 0 and <= ln(n_vocab) = 10.379 nats, got -5";

const member = { supervised: { ...TABLE6.supervised }, distillation: { ...TABLE6.distillation } };
const tampered = {
  id: BAD_ID, name: "tampered", created: "2026-01-01T00:00:00Z", domain: null,
  fit: {
    supervised: { coefficients: { ...TABLE6.supervised } },
    distillation: { coefficients: { ...TABLE6.distillation } },
    ensemble: { kind: "bootstrap", description: "three", requested: 3, leftOut: 0, seed: 1,
      members: [member, member, { ...member, supervised: { ...TABLE6.supervised, E: -5 } }] },
  },
};

const PAGES: [string, string][] = [
  ["/planner", "#allocation-table"],
  ["/target-loss", "#target-timing"],
  ["/lifetime", "#lifetime-summary"],
  ["/figure8", "#figure8-timing"],
  ["/teachers", "#teacher-table"],
];

test("a tampered stored set: every page names the field and works with Table 6", { skip }, async () => {
  await withSitePage("/yourruns", async (page, diagnostics) => {
    await storeRecord(page, BAD_ID, tampered);
    const origin = new URL(page.url()).origin;
    for (const [path, ready] of PAGES) {
      await page.goto(`${origin}${path}?coefficients=${encodeURIComponent(BAD_ID)}`, { waitUntil: "networkidle" });
      await page.waitForSelector(ready);
      const notice = await page.textContent("#unusable-stored-sets");
      assert.ok((notice ?? "").includes(`The coefficient set “tampered” stored in this browser cannot be used: ${FIELD}.`), `${path}: ${notice}`);
      const labels = await page.$$eval("select option", (options) => options.map((o) => o.textContent ?? ""));
      assert.ok(labels.some((l) => l.includes("Paper (Table 6)")), `${path}: Table 6 offered`);
      assert.ok(!labels.some((l) => l.includes("tampered")), `${path}: the tampered set is not offered`);
      const body = await page.textContent("main") ?? "";
      assert.doesNotMatch(body, /NaN nats|RuntimeError|Infinity/, path);
    }
    assert.deepEqual(diagnostics.pageErrors, []);
    // The planner also says so at its coefficients field, since the address names the set.
    await page.goto(`${origin}/planner?coefficients=${encodeURIComponent(BAD_ID)}`, { waitUntil: "networkidle" });
    await page.waitForSelector('.field-message[data-field="coefficients"]');
    assert.match(await page.textContent('.field-message[data-field="coefficients"]') ?? "", /“tampered” stored in this browser cannot be used \(ensemble\.members\[2\]\.supervised\.E: .*got -5\); using Paper \(Table 6\)/);
    // /yourruns lists it with the problem, and refuses to load such a file at all.
    await page.goto(`${origin}/yourruns`, { waitUntil: "networkidle" });
    await page.waitForSelector("#stored-sets tr.unusable");
    assert.match(await page.textContent("#stored-sets tr.unusable") ?? "", /cannot be used: ensemble\.members\[2\]\.supervised\.E/);
    await page.setInputFiles("#load-drop-input", { name: "bad.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(tampered.fit)) });
    await page.waitForSelector("#load-result");
    assert.equal(await page.textContent("#load-result"), `bad.json: ${FIELD}`);
  });
});

test("/lifetime reads its fields as the CLI reads its arguments: limits, both fields named, zero in any form", { skip }, async () => {
  const query = new URLSearchParams({ lifetime_servedUnit: "tokens per day × days", lifetime_perDay: "1e14", lifetime_days: "36500" });
  await withSitePage(`/lifetime?${query}`, async (page, diagnostics) => {
    const both = "tokens per day (1e14) x days (36500) = 3.65e18 tokens served is too large: a number of tokens served is accepted from 0 to 1e18 tokens.";
    for (const field of ["lifetime_perDay", "lifetime_days"]) {
      await page.waitForSelector(`.field-message.field-error[data-field="${field}"]`);
      assert.equal(await page.textContent(`.field-message[data-field="${field}"]`), both);
    }
    const origin = new URL(page.url()).origin;
    for (const [served, message] of [["0x10", /^Tokens served: “0x10” is not accepted: hexadecimal/], ["1e19", /^Tokens served: “1e19” is too large: a number of tokens served is accepted from 0 to 1e18 tokens\.$/]] as const) {
      await page.goto(`${origin}/lifetime?lifetime_served=${served}`, { waitUntil: "networkidle" });
      await page.waitForSelector('.field-message.field-error[data-field="lifetime_served"]');
      assert.match(await page.textContent('.field-message[data-field="lifetime_served"]') ?? "", message);
    }
    // 0, 0.0 and 0e0 served tokens give the same answer.
    const keys: string[] = [];
    for (const zero of ["0", "0.0", "0e0"]) {
      await page.goto(`${origin}/lifetime?lifetime_served=${zero}`, { waitUntil: "networkidle" });
      keys.push((await page.locator("#lifetime-summary").getAttribute("data-answer-key"))!);
    }
    assert.equal(new Set(keys).size, 1, keys.join(" / "));
    assert.deepEqual(diagnostics.pageErrors, []);
  });
});

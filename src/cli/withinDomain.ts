// `plan ... --within-domain [FACTOR]`: the answer again with every variable inside the coefficient
// set's validity domain widened by FACTOR (default 1), beside the unconstrained one, in the
// table, JSON and CSV of the three plan questions (docs/within-domain.md).

import { formatCostRatio, type WithinDomainSummary } from "../core/domain/withinDomain.js";
import type { ValidityDomain } from "../core/domain/validity.js";
import { formatExponent, formatQuantity } from "../core/inputs/units.js";
import { UsageError } from "./common.js";

const FLAG = "--within-domain";

/**
 * The arguments with `--within-domain` given its value: the next argument when it is not an
 * option ("--within-domain 3"), else 1; "--within-domain=3" passes as it is.
 */
export function withinDomainArguments(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    out.push(argv[i]);
    if (argv[i] === FLAG && (i + 1 >= argv.length || argv[i + 1].startsWith("--"))) out.push("1");
  }
  return out;
}

/** FACTOR of --within-domain: a number >= 1; and the set must carry a validity domain. */
export function withinDomainFactor(text: string | undefined, domain: ValidityDomain | null, coefficients: string): number | null {
  if (text === undefined) return null;
  const factor = Number(text);
  if (text.trim() === "" || !(Number.isFinite(factor) && factor >= 1)) {
    throw new UsageError(`${FLAG}: expected a widening factor >= 1 such as 1 (the fitted runs) or 3, got "${text}"`);
  }
  if (domain === null) throw new UsageError(`${FLAG}: ${coefficients} has no validity domain to stay inside (npm run fit writes one)`);
  return factor;
}

const shownValue = (s: WithinDomainSummary, x: number | null) =>
  x === null ? "-" : s.quantity === "student loss" ? x.toFixed(4) : formatExponent(x, 4);
const shownCost = (s: WithinDomainSummary) =>
  s.cost === null ? "-" : s.costUnit === "nats" ? `+${Math.max(0, s.cost).toFixed(4)}` : `x${formatCostRatio(s.cost)}`;
const shownFeasible = (s: WithinDomainSummary) =>
  s.feasible === null ? "-" : s.feasible.unit === "nats"
    ? `targets >= ${s.feasible.minimum.toFixed(4)}`
    : `${formatExponent(s.feasible.minimum, 3)} .. ${formatExponent(s.feasible.maximum!, 3)} FLOPs`;

/** The table under the unconstrained one: each strategy's answer inside the widened domain and its cost. */
export function renderWithinDomain(summaries: readonly WithinDomainSummary[], domain: ValidityDomain): string {
  const first = summaries[0];
  if (!first) return "";
  const unit = first.quantity === "student loss" ? "L_S (nats)" : `${first.quantity}`;
  const header = ["strategy", `${unit} unconstrained`, `${unit} inside`, `cost (${first.costUnit === "nats" ? "nats" : "ratio"})`,
    "N_S", "D_S", "N_T", "D_T", "L_T", "binds", "inside for"];
  const number = (x: number | null) => (x === null ? "-" : formatQuantity(x));
  const body = summaries.map((s) => [
    s.label, shownValue(s, s.free), s.status === "inside" ? shownValue(s, s.inside) : "none inside", shownCost(s),
    number(s.studentParameters), number(s.studentTokens), number(s.teacherParameters), number(s.teacherTokens),
    s.teacherLoss === null ? "-" : s.teacherLoss.toFixed(4), s.edges.join(", ") || "-", shownFeasible(s),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [
    `Within the validity domain${first.factor === 1 ? "" : ` widened ${first.factor}x`} (every variable a strategy needs inside ${domain.source}` +
      `${first.factor === 1 ? "" : `, each range widened to [min/${first.factor}, max x ${first.factor}]`}):`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    ...summaries.map((s) => `${s.label}: ${s.sentence}`),
    "",
  ].join("\n");
}

/** The CSV columns of a row's within-domain answer (prefixed "inside_"). */
export function withinDomainRecord(s: WithinDomainSummary | undefined): Record<string, string | number | null> {
  if (!s) return {};
  return {
    within_domain_factor: s.factor, inside_status: s.status, inside_quantity: s.quantity,
    inside_unconstrained: s.free, inside_value: s.inside, inside_cost: s.cost, inside_cost_unit: s.costUnit,
    inside_N_S: s.studentParameters, inside_D_S: s.studentTokens, inside_N_T: s.teacherParameters,
    inside_D_T: s.teacherTokens, inside_L_T: s.teacherLoss, inside_binds: s.edges.join("; "),
    inside_feasible_min: s.feasible?.minimum ?? null, inside_feasible_max: s.feasible?.maximum ?? null,
    inside_feasible_unit: s.feasible?.unit ?? null, inside_sentence: s.sentence,
  };
}

// npm run plan -- --student N --budget C [--scenario NAME|all] [--n-ctx X] [--n-vocab X] [--flops 2N]
//                  [--coefficients FILE] [--uncertainty] [--format table|json|csv]
// Prints the compute-optimal allocation of each strategy for a student size and a total budget,
// what each row needs of the laws outside the coefficient set's validity domain, and with
// --uncertainty the 90% bands, shares and verdict over the set's ensemble.

import { csvFormat } from "d3-dsv";
import { TABLE6, type CoefficientSet } from "../core/laws.js";
import { flopsModel, type FlopsModel } from "../core/flops.js";
import { SCENARIO_IDS } from "../core/scenarios.js";
import { DEFAULT_BOUNDS } from "../core/optimizer.js";
import { planAllocations, planRecords, summarisePlan, describeFlopsModel, type PlanRow, type StrategyId } from "../core/plan.js";
import { formatExponent, formatQuantity } from "../core/units.js";
import { paperDomain } from "../core/paperDomain.js";
import { planReportRecords, rowsValidityFlags } from "../core/planReport.js";
import { describeEnsembleUse, planUncertainty, type PlanUncertainty } from "../core/uncertainty.js";
import type { CoefficientEnsemble } from "../core/ensemble.js";
import type { ValidityDomain, ValidityFlag } from "../core/validity.js";
import type { Band } from "../core/bands.js";
import { UsageError, parseArguments, quantityArgument, readCoefficientsFile, runCli } from "./common.js";
import { paperEnsemble, readEnsembleFile } from "./ensembleFile.js";

const USAGE = "usage: npm run plan -- --student N --budget C [--scenario NAME|all] [--n-ctx X] [--n-vocab X] " +
  "[--rho-model X] [--g-size X] [--n-ffn X] [--rho-ffn X] [--flops 2N|eq69] [--coefficients FILE] [--uncertainty] [--format table|json|csv]";

await runCli("plan", () => {
  const { values } = parseArguments(process.argv.slice(2), {
    student: { type: "string" },
    budget: { type: "string" },
    scenario: { type: "string", default: "all" },
    "n-ctx": { type: "string" },
    "n-vocab": { type: "string" },
    "rho-model": { type: "string" },
    "g-size": { type: "string" },
    "n-ffn": { type: "string" },
    "rho-ffn": { type: "string" },
    flops: { type: "string", default: "eq69" },
    coefficients: { type: "string" },
    format: { type: "string", default: "table" },
    uncertainty: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const studentParameters = quantityArgument("student", values.student)!;
  const budget = quantityArgument("budget", values.budget)!;
  if (values.flops !== "2N" && values.flops !== "eq69") throw new UsageError(`--flops: expected 2N or eq69, got "${values.flops}"`);
  const architecture: Partial<FlopsModel> = { form: values.flops };
  const architectureArguments = [["n-ctx", "nCtx"], ["n-vocab", "nVocab"], ["rho-model", "rhoModel"], ["g-size", "gSize"], ["n-ffn", "nFfn"], ["rho-ffn", "rhoFfn"]] as const;
  for (const [argument, key] of architectureArguments) {
    const value = quantityArgument(argument, values[argument], false);
    if (value !== undefined) architecture[key] = value;
  }
  const flops = flopsModel(architecture);
  const scenario = values.scenario!;
  if (scenario !== "all" && !(SCENARIO_IDS as readonly string[]).includes(scenario)) {
    throw new UsageError(`--scenario: expected all or one of ${SCENARIO_IDS.join(", ")}, got "${scenario}"`);
  }
  const format = values.format!;
  if (!["table", "json", "csv"].includes(format)) throw new UsageError(`--format: expected table, json or csv, got "${format}"`);
  let coefficients: CoefficientSet = TABLE6;
  // Table 6's domain is the paper's design; a file's is its `domain` field, if any.
  let domain: ValidityDomain | null = paperDomain();
  let ensemble: CoefficientEnsemble | null = null;
  if (values.coefficients !== undefined) {
    const read = readCoefficientsFile(values.coefficients) as ReturnType<typeof readCoefficientsFile> & { ensemble?: CoefficientEnsemble | null; domain?: ValidityDomain | null };
    for (const warning of read.warnings) process.stderr.write(`plan: warning: ${warning}\n`);
    coefficients = read.coefficients;
    const extra = readEnsembleFile(values.coefficients);
    ensemble = read.ensemble ?? extra.ensemble;
    domain = read.domain ?? extra.domain;
    if (values.uncertainty && ensemble === null) {
      throw new UsageError(`--uncertainty: ${values.coefficients} has no "ensemble" (npm run fit -- ... --bootstrap N writes one)`);
    }
    if (domain === null) process.stderr.write(`plan: warning: ${values.coefficients} has no validity domain; rows are not checked for extrapolation\n`);
  } else if (values.uncertainty) {
    ensemble = paperEnsemble();
  }
  const strategies: StrategyId[] = scenario === "all" ? ["supervised", ...SCENARIO_IDS] : ["supervised", scenario as StrategyId];
  const rows = planAllocations({ studentParameters, budget, coefficients, flops }, strategies);
  const flags = rowsValidityFlags(rows, domain);
  const uncertainty = values.uncertainty && ensemble
    ? planUncertainty({ studentParameters, budget, strategies, flops, bounds: DEFAULT_BOUNDS }, rows, ensemble)
    : null;
  const context = { coefficientSet: coefficients.label, flops, bounds: DEFAULT_BOUNDS };
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({
      inputs: { studentParameters, budget, coefficientSet: coefficients.label, coefficients: { supervised: coefficients.supervised, distillation: coefficients.distillation }, flopsModel: flops, bounds: DEFAULT_BOUNDS },
      rows: rows.map((row, i) => ({ ...row, validity: flags[i] })),
      summary: summarisePlan(rows),
      validityDomain: domain,
      ...(uncertainty ? { uncertainty } : {}),
    }, null, 2)}\n`);
  } else if (format === "csv") {
    process.stdout.write(`${csvFormat(planReportRecords(rows, context, { domain, uncertainty }))}\n`);
  } else {
    process.stdout.write(renderTable(rows, { studentParameters, budget, coefficients, flops }, flags, domain));
    if (uncertainty) process.stdout.write(renderUncertainty(uncertainty));
  }
});

function formatBand(b: Band | null, format: (x: number) => string): string {
  return b === null ? "-" : b.low === b.high ? format(b.low) : `${format(b.low)} .. ${format(b.high)}`;
}

function signed(x: number): string {
  return `${x > 0 ? "+" : x < 0 ? "-" : ""}${Math.abs(x).toFixed(4)}`;
}

/** The bands, shares and verdict under the point table. */
function renderUncertainty(u: PlanUncertainty): string {
  const header = ["strategy", "L_S* (point)", "L_S* 90% band", "vs supervised 90% band", "beats supervised", "N_T* band", "D_T* band", "D_S* band", "members"];
  const body = u.strategies.map((s) => [
    s.label,
    s.pointStudentLoss === null ? "infeasible" : s.pointStudentLoss.toFixed(4),
    formatBand(s.studentLoss, (x) => x.toFixed(4)),
    s.strategy === "supervised" ? "-" : formatBand(s.differenceToSupervised, signed),
    s.shareBeatingSupervised === null ? "-" : `${(100 * s.shareBeatingSupervised).toFixed(1)}%`,
    formatBand(s.teacherParameters, formatQuantity),
    formatBand(s.teacherTokens, formatQuantity),
    formatBand(s.studentTokens, formatQuantity),
    `${s.members}${s.infeasible ? ` (${s.infeasible} infeasible)` : ""}${s.failed ? ` (${s.failed} failed: ${s.failure})` : ""}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [
    `Uncertainty: ${describeEnsembleUse(u)} ${u.ensembleDescription}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    u.verdict.sentence,
    "",
  ].join("\n");
}

function renderTable(
  rows: PlanRow[],
  inputs: { studentParameters: number; budget: number; coefficients: CoefficientSet; flops: FlopsModel },
  flags: ValidityFlag[][],
  domain: ValidityDomain | null,
): string {
  const header = ["strategy", "D_S", "N_T", "D_T", "L_T", "L_S", "vs supervised", "student / logits / teacher FLOPs", "bounds", "outside the domain"];
  const number = (x: number | null) => (x === null ? "-" : formatQuantity(x));
  const share = (row: PlanRow) => row.flops
    ? [row.flops.studentTraining, row.flops.teacherLogits, row.flops.teacherPretraining].map((x) => `${((100 * x) / row.flops!.total).toFixed(1)}%`).join(" / ")
    : "-";
  const bounds = (row: PlanRow) => Object.entries(row.bounds).filter(([, flag]) => flag).map(([key, flag]) => `${key}=${flag}`).join(" ") || "-";
  const outside = (i: number) => flags[i].map((f) => `${f.variable} ${f.variable === "L_T*" ? f.side === "below" ? "stronger" : "weaker" : `${f.factor >= 10 ? Math.round(f.factor) : f.factor.toPrecision(2)}x`}`).join(", ") || "-";
  const body = rows.map((row, i) => row.error
    ? [row.label, "infeasible", "", "", "", "", "", "", "", ""]
    : [
      row.label, number(row.studentTokens), number(row.teacherParameters), number(row.teacherTokens),
      row.teacherLoss === null ? "-" : row.teacherLoss.toFixed(4), row.studentLoss!.toFixed(4),
      row.differenceToSupervised === null ? "-" : `${row.differenceToSupervised >= 0 ? "+" : ""}${row.differenceToSupervised.toFixed(4)}`,
      share(row), bounds(row), outside(i),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const notes = rows.flatMap((row, i) => [
    ...(row.error ? [`${row.label}: ${row.error}`] : []),
    ...row.notes.map((note) => `${row.label}: ${note}`),
    ...(flags[i].length ? [`${row.label}: outside the fitted domain: ${flags[i].map((f) => f.message).join("; ")}`] : []),
  ]);
  return [
    `Student ${formatQuantity(inputs.studentParameters)} parameters, budget ${formatExponent(inputs.budget)} FLOPs, ` +
      `coefficients: ${inputs.coefficients.label}, FLOPs model: ${describeFlopsModel(inputs.flops)}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    summarisePlan(rows),
    ...(notes.length ? ["", ...notes] : []),
    "",
    domain ? `Validity domain: ${domain.source}.` : "Validity domain: none given; rows are not checked for extrapolation.",
    "",
  ].join("\n");
}

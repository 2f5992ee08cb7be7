// npm run plan -- --student N --budget C [--scenario NAME|all] [--n-ctx X] [--n-vocab X] [--flops 2N]
//                  [--coefficients FILE] [--format table|json|csv]
// Prints the compute-optimal allocation of each strategy for a student size and a total budget.

import { csvFormat } from "d3-dsv";
import { TABLE6, type CoefficientSet } from "../core/laws.js";
import { flopsModel, type FlopsModel } from "../core/flops.js";
import { SCENARIO_IDS } from "../core/scenarios.js";
import { DEFAULT_BOUNDS } from "../core/optimizer.js";
import { planAllocations, planRecords, summarisePlan, describeFlopsModel, type PlanRow } from "../core/plan.js";
import type { StrategyId } from "../core/strategy.js";
import { formatExponent, formatQuantity } from "../core/units.js";
import { UsageError, parseArguments, quantityArgument, readCoefficientsFile, runCli } from "./common.js";

const USAGE = "usage: npm run plan -- --student N --budget C [--scenario NAME|all] [--n-ctx X] [--n-vocab X] " +
  "[--rho-model X] [--g-size X] [--n-ffn X] [--rho-ffn X] [--flops 2N|eq69] [--coefficients FILE] [--format table|json|csv]";

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
  if (values.coefficients !== undefined) {
    const read = readCoefficientsFile(values.coefficients);
    for (const warning of read.warnings) process.stderr.write(`plan: warning: ${warning}\n`);
    coefficients = read.coefficients;
  }
  const strategies: StrategyId[] = scenario === "all" ? ["supervised", ...SCENARIO_IDS] : ["supervised", scenario as StrategyId];
  const rows = planAllocations({ studentParameters, budget, coefficients, flops }, strategies);
  const context = { coefficientSet: coefficients.label, flops, bounds: DEFAULT_BOUNDS };
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({
      inputs: { studentParameters, budget, coefficientSet: coefficients.label, coefficients: { supervised: coefficients.supervised, distillation: coefficients.distillation }, flopsModel: flops, bounds: DEFAULT_BOUNDS },
      rows,
      summary: summarisePlan(rows),
    }, null, 2)}\n`);
  } else if (format === "csv") {
    process.stdout.write(`${csvFormat(planRecords(rows, context))}\n`);
  } else {
    process.stdout.write(renderTable(rows, { studentParameters, budget, coefficients, flops }));
  }
});

function renderTable(
  rows: PlanRow[],
  inputs: { studentParameters: number; budget: number; coefficients: CoefficientSet; flops: FlopsModel },
): string {
  const header = ["strategy", "D_S", "N_T", "D_T", "L_T", "L_S", "vs supervised", "student / logits / teacher FLOPs", "bounds"];
  const number = (x: number | null) => (x === null ? "-" : formatQuantity(x));
  const share = (row: PlanRow) => row.flops
    ? [row.flops.studentTraining, row.flops.teacherLogits, row.flops.teacherPretraining].map((x) => `${((100 * x) / row.flops!.total).toFixed(1)}%`).join(" / ")
    : "-";
  const bounds = (row: PlanRow) => Object.entries(row.bounds).filter(([, flag]) => flag).map(([key, flag]) => `${key}=${flag}`).join(" ") || "-";
  const body = rows.map((row) => row.error
    ? [row.label, "infeasible", "", "", "", "", "", "", ""]
    : [
      row.label, number(row.studentTokens), number(row.teacherParameters), number(row.teacherTokens),
      row.teacherLoss === null ? "-" : row.teacherLoss.toFixed(4), row.studentLoss!.toFixed(4),
      row.differenceToSupervised === null ? "-" : `${row.differenceToSupervised >= 0 ? "+" : ""}${row.differenceToSupervised.toFixed(4)}`,
      share(row), bounds(row),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const notes = rows.flatMap((row) => [
    ...(row.error ? [`${row.label}: ${row.error}`] : []),
    ...row.notes.map((note) => `${row.label}: ${note}`),
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
  ].join("\n");
}

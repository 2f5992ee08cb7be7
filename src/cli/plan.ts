// npm run plan -- --student N --budget C [--scenario NAME|all] [--n-ctx X] [--n-vocab X] [--flops 2N]
//                  [--coefficients FILE] [--uncertainty] [--format table|json|csv]
//                  [--delta-logits X --delta-pretraining Y] [--teacher-shared-by K [--stored-logits]]
//                  [--within-domain [FACTOR]]  (also: the answer inside the validity domain widened by FACTOR)
//   or  --student N --target-loss L               (least compute per strategy to reach L)
//   or  --target-loss L --serve-tokens T          (student size minimising training + serving FLOPs)
//   or  --budget C --serve-tokens T               (lowest loss for a lifetime budget)
// Prints one row per strategy, what each row needs of the laws outside the coefficient set's
// validity domain, and with --uncertainty the 90% bands, shares and verdict over the set's ensemble.

import { rowsToCsv } from "../core/export/tableExport.js";
import { TABLE6, type CoefficientSet } from "../core/laws/laws.js";
import { flopsModel, type FlopsModel } from "../core/laws/flops.js";
import { SCENARIO_IDS, scenarioById } from "../core/laws/scenarios.js";
import { DEFAULT_BOUNDS } from "../core/allocation/optimizer.js";
import { planAllocations, planRecords, planWeightsRow, summarisePlan, describeFlopsModel, type PlanRow } from "../core/allocation/plan.js";
import type { StrategyId, ScenarioWeights } from "../core/allocation/strategy.js";
import { describeSharedTeacher, describeWeights, sharedTeacherWeights } from "../core/laws/amortisation.js";
import { lifetimeStrategies, type LifetimeStrategy } from "../core/questions/lifetime.js";
import { printLifetime, printTarget } from "./questions.js";
import { formatExponent, formatQuantity } from "../core/inputs/units.js";
import { paperDomain } from "../core/domain/paperDomain.js";
import { planReportRecords, rowsValidityFlags } from "../core/export/planReport.js";
import { planUncertainty, type PlanUncertainty } from "../core/uncertainty/planUncertainty.js";
import { formatShare } from "../core/ensemble/verdict.js";
import { describeEnsembleUse } from "../core/ensemble/summary.js";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import type { ValidityDomain, ValidityFlag } from "../core/domain/validity.js";
import { UsageError, formatBand, formatWidenedBand, limitedArgument, parseArguments, parsedArgument, readCoefficientsFile, runCli } from "./common.js";
import { INPUT_LIMITS } from "../core/inputs/inputLimits.js";
import { ARCHITECTURE_INPUTS, parseLimited, parseServedPerDay, parseWholeNumber } from "../core/inputs/fieldParsers.js";
import { budgetProblem } from "../core/allocation/feasibility.js";
import { assertFiniteResult } from "../core/export/finiteOutput.js";
import { paperEnsembleFile } from "./ensembleFile.js";
import { tenthsProgress } from "./progress.js";
import {
  FITTED_DISTILLATION, distillationLawFor, ensembleUnderLaw, rowsUnderLaw, strategiesUnderLaw, type DistillationLaw,
} from "../core/ensemble/borrowedLaw.js";
import { describeStoredLogitsCost, storedLogitsCost, type StoredLogitsCost } from "../core/allocation/logitStorage.js";
import { planWithinDomain, summarisePlanWithinDomain } from "../core/domain/withinDomain.js";
import { renderWithinDomain, withinDomainArguments, withinDomainFactor, withinDomainRecord } from "./withinDomain.js";
import type { OutOfDomainGrowth } from "../core/domain/outOfDomain.js";
import { WIDENED_BANDS_NOTE } from "../core/domain/bandWidening.js";

const USAGE = "usage: npm run plan -- --student N --budget C [--scenario NAME|all] [--n-ctx X] [--n-vocab X] " +
  "[--rho-model X] [--g-size X] [--n-ffn X] [--rho-ffn X] [--flops 2N|eq69] [--coefficients FILE] [--uncertainty] [--format table|json|csv] " +
  "[--delta-logits X --delta-pretraining Y] [--teacher-shared-by K [--stored-logits]] [--distillation-law paper] [--within-domain [FACTOR]]\n" +
  "       npm run plan -- --student N --target-loss L [...]\n" +
  "       npm run plan -- --target-loss L --serve-tokens T [...]   (or --tokens-per-day X --days Y)\n" +
  "       npm run plan -- --budget C --serve-tokens T [...]";

/** One argument per FLOPs-model field of the site (its n_ctx is --n-ctx). */
const ARCHITECTURE_ARGUMENTS = ["n-ctx", "n-vocab", "rho-model", "g-size", "n-ffn", "rho-ffn"] as const;
type ArchitectureArgument = (typeof ARCHITECTURE_ARGUMENTS)[number];
const ARCHITECTURE_OPTIONS = Object.fromEntries(ARCHITECTURE_ARGUMENTS.map((name) => [name, { type: "string" }])) as Record<ArchitectureArgument, { type: "string" }>;

await runCli("plan", () => {
  const { values } = parseArguments(withinDomainArguments(process.argv.slice(2)), {
    student: { type: "string" },
    budget: { type: "string" },
    scenario: { type: "string", default: "all" },
    ...ARCHITECTURE_OPTIONS,
    flops: { type: "string", default: "eq69" },
    coefficients: { type: "string" },
    format: { type: "string", default: "table" },
    uncertainty: { type: "boolean", default: false },
    "delta-logits": { type: "string" },
    "delta-pretraining": { type: "string" },
    "teacher-shared-by": { type: "string" },
    "stored-logits": { type: "boolean" },
    "distillation-law": { type: "string" },
    "target-loss": { type: "string" },
    "serve-tokens": { type: "string" },
    "tokens-per-day": { type: "string" },
    days: { type: "string" },
    "within-domain": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.flops !== "2N" && values.flops !== "eq69") throw new UsageError(`--flops: expected 2N or eq69, got "${values.flops}"`);
  const architecture: Partial<FlopsModel> = { form: values.flops };
  // The site's FLOPs-model fields and their limits, each as an argument.
  for (const { field, key, limit } of ARCHITECTURE_INPUTS) {
    const argument = field.replace("_", "-") as ArchitectureArgument;
    const value = limitedArgument(argument, values[argument], limit, false);
    if (value !== undefined) architecture[key] = value;
  }
  let vocabularyFrom: "argument" | "file" | "paper" = architecture.nVocab === undefined ? "paper" : "argument";
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
  const lawChoice = distillationLawArgument(values["distillation-law"] as string | undefined);
  // A set without a distillation law: no distillation rows, or Table 6's law borrowed by choice.
  let distillationLaw: DistillationLaw = FITTED_DISTILLATION;
  let growth: OutOfDomainGrowth | null = null;
  if (values.coefficients !== undefined) {
    const read = readCoefficientsFile(values.coefficients);
    for (const warning of read.warnings) process.stderr.write(`plan: warning: ${warning}\n`);
    coefficients = read.coefficients;
    ensemble = read.ensemble;
    domain = read.domain;
    if (read.distillationFitted && lawChoice !== undefined) {
      throw new UsageError(`--distillation-law: ${values.coefficients} has its own distillation law; the choice is for a set fitted to supervised runs only`);
    }
    distillationLaw = distillationLawFor({ label: values.coefficients, distillationFitted: read.distillationFitted }, lawChoice ?? "none", "add --distillation-law paper");
    ensemble = ensembleUnderLaw(distillationLaw, ensemble);
    growth = read.outOfDomain;
    if (values.uncertainty && ensemble === null) {
      throw new UsageError(`--uncertainty: ${values.coefficients} has no "ensemble" (npm run fit -- ... --bootstrap N writes one)`);
    }
    if (domain === null) process.stderr.write(`plan: warning: ${values.coefficients} has no validity domain; rows are not checked for extrapolation\n`);
    if (read.nVocab !== null && architecture.nVocab === undefined) {
      architecture.nVocab = read.nVocab;
      vocabularyFrom = "file";
    }
  } else {
    if (lawChoice !== undefined) throw new UsageError("--distillation-law: only with --coefficients FILE of a set fitted to supervised runs only (Table 6 has its own distillation law)");
    if (values.uncertainty) ({ ensemble, outOfDomain: growth } = paperEnsembleFile());
  }
  const flops = flopsModel(architecture);
  // Said once the arguments are all read, so that a rejected command prints one line.
  const sayVocabulary = () => {
    if (flops.form === "eq69") process.stderr.write(`plan: ${vocabularySource(flops.nVocab, vocabularyFrom, values.coefficients)}\n`);
  };
  const withinDomain = withinDomainFactor(values["within-domain"], domain, coefficients.label);
  const absent = distillationLaw.source === "absent";
  const strategies: StrategyId[] = strategiesUnderLaw(distillationLaw, scenario === "all" ? ["supervised", ...SCENARIO_IDS] : ["supervised", scenario as StrategyId]);
  // Every distillation row under a borrowed law says whose law it is.
  const extras = rowsUnderLaw(distillationLaw, extraStrategies(values));
  const absentLine = absent ? `${distillationLaw.note}\n` : "";
  const targetLoss = values["target-loss"] === undefined ? undefined : lossArgument(values["target-loss"]);
  const served = servedArgument(values);
  if (served !== undefined || (targetLoss !== undefined && values.student === undefined)) {
    // The lifetime question: the student size is chosen, not given.
    if (values.student !== undefined) throw new UsageError("--serve-tokens: the lifetime question chooses the student size; leave out --student");
    if (served === undefined) throw new UsageError("--target-loss without --student needs --serve-tokens T (or --tokens-per-day X --days Y)");
    if ((targetLoss === undefined) === (values.budget === undefined)) throw new UsageError("--serve-tokens: give either --target-loss L or --budget C (a lifetime budget)");
    const named = rowsUnderLaw(distillationLaw, lifetimeStrategies().filter((s) => s.id !== "shared-teacher"));
    const question = targetLoss !== undefined ? { targetLoss } : { budget: limitedArgument("budget", values.budget, INPUT_LIMITS.budgetFlops)! };
    sayVocabulary();
    process.stdout.write(printLifetime(question, served, [...named, ...extras], { coefficients, flops, format, domain, ensemble: values.uncertainty ? ensemble : null, distillationLaw, withinDomain, outOfDomain: growth }));
    if (format === "table") process.stdout.write(absentLine);
    return;
  }
  const studentParameters = limitedArgument("student", values.student, INPUT_LIMITS.studentParameters)!;
  if (targetLoss !== undefined) {
    if (values.budget !== undefined) throw new UsageError("--target-loss: the least compute is the answer; leave out --budget");
    const named: LifetimeStrategy[] = rowsUnderLaw(distillationLaw, strategies.map((id) => ({ id, label: id === "supervised" ? "Supervised" : scenarioById(id).label, strategy: id })));
    sayVocabulary();
    process.stdout.write(printTarget(studentParameters, targetLoss, [...named, ...extras], { coefficients, flops, format, domain, ensemble: values.uncertainty ? ensemble : null, distillationLaw, withinDomain, outOfDomain: growth }));
    if (format === "table") process.stdout.write(absentLine);
    return;
  }
  const budget = limitedArgument("budget", values.budget, INPUT_LIMITS.budgetFlops)!;
  // The site's budget check: a budget no strategy can spend with every variable in the bounds.
  const problem = budgetProblem(studentParameters, budget, { flops, bounds: DEFAULT_BOUNDS });
  if (problem) throw new UsageError(`--budget: ${problem}`);
  const namedRows = rowsUnderLaw(distillationLaw, planAllocations({ studentParameters, budget, coefficients, flops }, strategies));
  const rows: PlanRow[] = [
    ...namedRows,
    ...extras.map((e) => planWeightsRow({ studentParameters, budget, coefficients, flops }, e.strategy as ScenarioWeights, e.label)),
  ];
  assertFiniteResult(rows, "rows");
  const flags = rowsValidityFlags(rows, domain);
  // A shared teacher's stored logits: their storage and Figure 54's truncation cost beside the gain.
  const sharedRow = values["stored-logits"] ? rows.find((r) => r.label === extras.find((e) => e.id.startsWith("shared-by-"))?.label) : undefined;
  const storedLogits: StoredLogitsCost | null = sharedRow && sharedRow.studentTokens !== null && sharedRow.differenceToSupervised !== null
    ? storedLogitsCost(sharedRow.studentTokens, sharedRow.differenceToSupervised, flops.nVocab)
    : null;
  const uncertainty = values.uncertainty && ensemble
    ? planUncertainty({
      studentParameters, budget, strategies, flops, bounds: DEFAULT_BOUNDS,
      outOfDomain: domain && growth ? { domain, growth } : null,
    }, namedRows, ensemble,
      { domain, onProgress: tenthsProgress("plan", "uncertainty: members solved", ensemble.members.length) })
    : null;
  if (uncertainty) assertFiniteResult(uncertainty.strategies, "uncertainty");
  const context = { coefficientSet: coefficients.label, flops, bounds: DEFAULT_BOUNDS };
  sayVocabulary();
  const within = withinDomain === null ? null : planWithinDomain(
    studentParameters, budget, [...strategies, ...extras.map((e) => e.strategy)], domain!, { coefficients, flops, factor: withinDomain },
  );
  const inside = within && summarisePlanWithinDomain(within).map((summary, i) => ({ ...summary, label: rows[i].label }));
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({
      inputs: { studentParameters, budget, coefficientSet: coefficients.label, coefficients: { supervised: coefficients.supervised, distillation: coefficients.distillation }, flopsModel: flops, bounds: DEFAULT_BOUNDS },
      rows: rows.map((row, i) => ({ ...row, validity: flags[i] })),
      summary: summarisePlan(rows),
      validityDomain: domain,
      distillationLaw,
      ...(storedLogits ? { storedLogits } : {}),
      ...(uncertainty ? { uncertainty } : {}),
      ...(within && inside ? { withinDomain: { factor: within.factor, box: within.box, rows: inside } } : {}),
    }, null, 2)}\n`);
  } else if (format === "csv") {
    const records = planReportRecords(rows, context, { domain, uncertainty });
    process.stdout.write(`${rowsToCsv(inside ? records.map((record, i) => ({ ...record, ...withinDomainRecord(inside[i]) })) : records)}\n`);
  } else {
    process.stdout.write(renderTable(rows, { studentParameters, budget, coefficients, flops }, flags, domain));
    process.stdout.write(absentLine);
    if (storedLogits) process.stdout.write(`${sharedRow!.label}: ${describeStoredLogitsCost(storedLogits)}\n\n`);
    if (uncertainty) process.stdout.write(renderUncertainty(uncertainty));
    else process.stdout.write("The sentence above is the point fit's; for the 90% bands and a verdict across the coefficients' uncertainty, add --uncertainty.\n");
    if (inside) process.stdout.write(`\n${renderWithinDomain(inside, domain!)}`);
  }
});

function signed(x: number): string {
  return `${x > 0 ? "+" : x < 0 ? "-" : ""}${Math.abs(x).toFixed(4)}`;
}

/** The bands, shares and verdict under the point table. */
function renderUncertainty(u: PlanUncertainty): string {
  const header = ["strategy", "L_S* (point)", "L_S* 90% band", "vs supervised 90% band", "beats supervised", "N_T* band", "D_T* band", "D_S* band", "members"];
  const body = u.strategies.map((s) => [
    s.label,
    s.pointStudentLoss === null ? "infeasible" : s.pointStudentLoss.toFixed(4),
    formatWidenedBand(s.studentLoss, (x) => x.toFixed(4)),
    s.strategy === "supervised" ? "-" : formatWidenedBand(s.differenceToSupervised, signed),
    s.shareBeatingSupervised === null ? "-" : formatShare(s.shareBeatingSupervised),
    formatBand(s.teacherParameters, formatQuantity),
    formatBand(s.teacherTokens, formatQuantity),
    formatBand(s.studentTokens, formatQuantity),
    `${s.used}${s.unreachable ? ` (${s.unreachable} infeasible)` : ""}${s.failed ? ` (${s.failed} failed: ${s.failure})` : ""}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const widened = u.strategies.some((s) => s.studentLoss?.widened)
    ? [WIDENED_BANDS_NOTE, ""]
    : [];
  return [
    `Uncertainty: ${describeEnsembleUse(u)} ${u.ensembleDescription}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    ...widened,
    u.verdict.sentence,
    "",
  ].join("\n");
}

/** --distillation-law: "paper" borrows Table 6's distillation law for a set without one. */
function distillationLawArgument(text: string | undefined): "paper" | undefined {
  if (text === undefined) return undefined;
  if (text !== "paper") throw new UsageError(`--distillation-law: expected paper (Table 6's distillation law), got "${text}"`);
  return "paper";
}

/** A target cross-entropy in nats, within the site's loss limits. */
function lossArgument(text: string): number {
  return parsedArgument("target-loss", parseLimited(text, INPUT_LIMITS.loss));
}

/** A weight of Eq. 9 in [0, 1]. */
function weightArgument(name: string, text: string): number {
  return parsedArgument(name, parseLimited(text, INPUT_LIMITS.weight));
}

/** The weights rows asked for: --delta-logits/--delta-pretraining and --teacher-shared-by K. */
function extraStrategies(values: Record<string, string | boolean | undefined>): LifetimeStrategy[] {
  const extras: LifetimeStrategy[] = [];
  const dl = values["delta-logits"] as string | undefined, dp = values["delta-pretraining"] as string | undefined;
  if ((dl === undefined) !== (dp === undefined)) throw new UsageError(`--${dl === undefined ? "delta-logits" : "delta-pretraining"}: give --delta-logits and --delta-pretraining together`);
  if (dl !== undefined && dp !== undefined) {
    const weights = { deltaLogits: weightArgument("delta-logits", dl), deltaPretraining: weightArgument("delta-pretraining", dp) };
    extras.push({ id: "weights", label: `Eq. 9 weights (${describeWeights(weights)})`, strategy: { kind: "weights", ...weights } });
  }
  const k = values["teacher-shared-by"] as string | undefined;
  if (k !== undefined) {
    const n = parsedArgument("teacher-shared-by", parseWholeNumber(k, INPUT_LIMITS.studentsSharingTeacher));
    const logits = values["stored-logits"] ? "stored" : "per-student";
    extras.push({ id: `shared-by-${n}`, label: describeSharedTeacher(n, logits), strategy: { kind: "weights", ...sharedTeacherWeights(n, logits) } });
  } else if (values["stored-logits"]) {
    throw new UsageError("--stored-logits: only with --teacher-shared-by K");
  }
  return extras;
}

/** T served tokens: --serve-tokens T, or --tokens-per-day X --days Y. */
function servedArgument(values: Record<string, string | boolean | undefined>): number | undefined {
  const direct = values["serve-tokens"] as string | undefined;
  const perDay = values["tokens-per-day"] as string | undefined, days = values.days as string | undefined;
  if (direct !== undefined && (perDay !== undefined || days !== undefined)) throw new UsageError("--serve-tokens: give either --serve-tokens or --tokens-per-day with --days, not both");
  if ((perDay === undefined) !== (days === undefined)) throw new UsageError(`--${perDay === undefined ? "tokens-per-day" : "days"}: give --tokens-per-day and --days together`);
  if (perDay !== undefined && days !== undefined) {
    const served = parseServedPerDay(perDay, days);
    if (!served.ok) throw new UsageError(`${served.field === undefined ? "--tokens-per-day x --days" : served.field === "perDay" ? "--tokens-per-day" : "--days"}: ${served.error}`);
    return served.value;
  }
  if (direct === undefined) return undefined;
  return parsedArgument("serve-tokens", parseLimited(direct, INPUT_LIMITS.servedTokens));
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

/** Which vocabulary Eq. 69's FLOPs per token use, and why: the reader's, the coefficient file's, or the paper's. */
function vocabularySource(nVocab: number, from: "argument" | "file" | "paper", coefficientsFile?: string): string {
  const size = nVocab.toLocaleString("en-US");
  if (from === "argument") return `FLOPs per token with n_vocab = ${size} (--n-vocab)`;
  if (from === "file") return `FLOPs per token with n_vocab = ${size}, the vocabulary ${coefficientsFile} records; --n-vocab sets another`;
  return `FLOPs per token with n_vocab = ${size}, the paper's${coefficientsFile !== undefined ? ` (${coefficientsFile} records none)` : ""}; --n-vocab sets another`;
}

// The plan CLI's answers to the questions after "should I distil?": the least compute to reach a
// target loss (--student N --target-loss L), and the lifetime optimum with serving
// (--target-loss L --serve-tokens T, or --budget C --serve-tokens T). One row per strategy in
// every format, as the allocation table; with --uncertainty every answer adds 90% band columns,
// the shares against supervised training and the verdict over the coefficient set's ensemble.

import { assertFiniteResult } from "../core/export/finiteOutput.js";
import { rowsToCsv } from "../core/export/tableExport.js";
import type { CoefficientSet } from "../core/laws/laws.js";
import type { FlopsModel } from "../core/laws/flops.js";
import type { CoefficientEnsemble } from "../core/ensemble/ensemble.js";
import { describeFlopsModel } from "../core/allocation/plan.js";
import { targetLossCompute, type TargetLossResult } from "../core/questions/targetLoss.js";
import { describeLifetimeBounds, lifetimeAnswer, lifetimeTokensFloor, type LifetimeAnswer, type LifetimeBounds, type LifetimeQuestion, type LifetimeStrategy } from "../core/questions/lifetime.js";
import { lifetimeBandRecord, lifetimeUncertainty, type LifetimeUncertainty } from "../core/uncertainty/lifetimeUncertainty.js";
import { formatShare } from "../core/ensemble/verdict.js";
import { describeEnsembleUse } from "../core/ensemble/summary.js";
import { DEFAULT_BOUNDS } from "../core/allocation/optimizer.js";
import { targetLossUncertainty, targetUncertaintyRecord, type TargetLossUncertainty } from "../core/uncertainty/targetLossUncertainty.js";
import { pointExtrapolationNote } from "../core/ensemble/pointExtrapolationNote.js";
import type { OutOfDomainGrowth } from "../core/domain/outOfDomain.js";
import { WIDENED_BANDS_NOTE } from "../core/domain/bandWidening.js";
import { formatBand, formatWidenedBand } from "./common.js";
import { formatExponent, formatQuantity } from "../core/inputs/units.js";
import { plannedPointFlags, type PlannedPoint, type ValidityDomain } from "../core/domain/validity.js";
import {
  lifetimeWithinDomain, summariseLifetimeWithinDomain, summariseTargetWithinDomain, targetLossWithinDomain, type WithinDomainSummary,
} from "../core/domain/withinDomain.js";
import { renderWithinDomain, withinDomainRecord } from "./withinDomain.js";
import { FITTED_DISTILLATION, type DistillationLaw } from "../core/ensemble/borrowedLaw.js";

export interface QuestionContext {
  coefficients: CoefficientSet;
  flops: FlopsModel;
  format: string;
  /** The coefficient set's validity domain; null: rows are not checked (the caller says so). */
  domain: ValidityDomain | null;
  /** With --uncertainty, the coefficient set's ensemble: every answer gets 90% bands and a verdict over its members. */
  ensemble: CoefficientEnsemble | null;
  /** Whose distillation law the rows use: the set's own, Table 6's borrowed by choice, or none (no distillation rows). */
  distillationLaw?: DistillationLaw;
  /** With --within-domain F: the factor; every answer is also given inside the validity domain widened by F. */
  withinDomain?: number | null;
  /** The set's measured out-of-domain growth: with the domain, bands of answers beyond it widen. */
  outOfDomain?: OutOfDomainGrowth | null;
}

/** The widening the bands get: the domain and the growth, when the set has both. */
function widening(context: QuestionContext) {
  return context.domain && context.outOfDomain ? { domain: context.domain, growth: context.outOfDomain } : null;
}

/** The note on widened bands, when any of these is. */
function widenedNote(bands: readonly ({ widened: boolean } | null)[]): string[] {
  return bands.some((b) => b?.widened) ? [WIDENED_BANDS_NOTE] : [];
}

/** What an answer needs of the laws outside the set's domain, in one line ("" inside it). */
function validityText(point: PlannedPoint | null, context: QuestionContext): string {
  if (point === null || context.domain === null) return "";
  return plannedPointFlags(point, context.domain).map((f) => f.message).join("; ");
}

const number = (x: number | null | undefined) => (x == null ? "-" : formatQuantity(x));
const exponent = (x: number | null | undefined) => (x == null ? "-" : x === 0 ? "0" : formatExponent(x, 4));
/** Figure 33/34's ratios: three significant digits, so that 0.0005 does not read 0.000. */
const ratio = (x: number) => x.toPrecision(3);

function renderTable(header: string[], body: string[][], preamble: string[], notes: string[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [...preamble, "", line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line),
    ...(notes.length ? ["", ...notes] : []), ""].join("\n");
}

function describeInputs(context: QuestionContext): string {
  return `coefficients: ${context.coefficients.label}, FLOPs model: ${describeFlopsModel(context.flops)}`;
}

// ---------------------------------------------------------------------------------------------
// Target loss.

export interface TargetRow {
  id: string;
  label: string;
  result: TargetLossResult;
  computeRatio: number | null;
  dataRatio: number | null;
}

export function targetRows(studentParameters: number, targetLoss: number, strategies: readonly LifetimeStrategy[], context: QuestionContext): TargetRow[] {
  const options = { coefficients: context.coefficients, flops: context.flops };
  const results = strategies.map(({ id, label, strategy }) => ({ id, label, result: targetLossCompute(studentParameters, targetLoss, strategy, options) }));
  assertFiniteResult(results, "results");
  const supervised = results.find((r) => r.id === "supervised")!.result;
  return results.map((r) => ({
    ...r,
    computeRatio: r.result.status === "optimal" && supervised.status === "optimal" ? r.result.compute / supervised.compute : null,
    dataRatio: r.result.status === "optimal" && supervised.status === "optimal" ? r.result.dataTokens / supervised.dataTokens : null,
  }));
}

function targetRecord(row: TargetRow, context: QuestionContext, uncertainty: TargetLossUncertainty | null) {
  const r = row.result;
  const ok = r.status === "optimal" ? r : null;
  return {
    strategy: row.id, label: row.label, student_parameters: r.studentParameters, target_loss: r.targetLoss,
    status: r.status, compute_flops: ok?.compute ?? null, D_S: ok?.studentTokens ?? null, N_T: ok?.teacherParameters ?? null,
    D_T: ok?.teacherTokens ?? null, L_T: ok?.teacherLoss ?? null, L_S: ok?.studentLoss ?? null,
    data_tokens_eq34: ok?.dataTokens ?? null, compute_ratio: row.computeRatio, data_ratio: row.dataRatio,
    flops_student_training: ok?.flops.studentTraining ?? null, flops_teacher_logits: ok?.flops.teacherLogits ?? null,
    flops_teacher_pretraining: ok?.flops.teacherPretraining ?? null,
    delta_logits: r.weights.deltaLogits, delta_pretraining: r.weights.deltaPretraining,
    floor: r.status === "unreachable" ? r.floor : null,
    bound_D_S: ok?.bounds.studentTokens ?? null, bound_N_T: ok?.bounds.teacherParameters ?? null, bound_D_T: ok?.bounds.teacherTokens ?? null,
    validity: validityText(ok, context),
    ...(uncertainty ? targetUncertaintyRecord(uncertainty, row.id) : {}),
    coefficient_set: context.coefficients.label, flops_model: describeFlopsModel(context.flops),
  };
}

/** With --uncertainty: every strategy solved in every member of the ensemble, and the verdict's extrapolation line. */
function targetUncertainty(studentParameters: number, targetLoss: number, rows: readonly TargetRow[], strategies: readonly LifetimeStrategy[], context: QuestionContext) {
  if (context.ensemble === null) return null;
  const inputs = { studentParameters, targetLoss, strategies, flops: context.flops, bounds: DEFAULT_BOUNDS, outOfDomain: widening(context) };
  const summary = targetLossUncertainty(inputs, context.ensemble, { points: rows, domain: context.domain, point: context.coefficients });
  const answers = rows.map((r) => ({ id: r.id, label: r.label, point: r.result.status === "optimal" ? r.result : null }));
  return { summary, ensembleLine: `${describeEnsembleUse(summary)} ${summary.ensembleDescription}`, validity: pointExtrapolationNote(summary.verdict, answers, context.domain) };
}

export function printTarget(studentParameters: number, targetLoss: number, strategies: readonly LifetimeStrategy[], context: QuestionContext): string {
  const rows = targetRows(studentParameters, targetLoss, strategies, context);
  const uncertainty = targetUncertainty(studentParameters, targetLoss, rows, strategies, context);
  const within = context.withinDomain == null || context.domain === null ? null
    : targetLossWithinDomain(studentParameters, targetLoss, strategies, context.domain, { coefficients: context.coefficients, flops: context.flops, factor: context.withinDomain });
  const inside = within && summariseTargetWithinDomain(within);
  if (context.format === "json") {
    return `${JSON.stringify({
      inputs: { studentParameters, targetLoss, coefficientSet: context.coefficients.label, flopsModel: context.flops },
      rows: rows.map((r) => ({ ...r, validity: validityText(r.result.status === "optimal" ? r.result : null, context) })),
      validityDomain: context.domain,
      distillationLaw: context.distillationLaw ?? FITTED_DISTILLATION,
      ...(uncertainty ? { uncertainty: { ...uncertainty.summary, ensemble: uncertainty.ensembleLine, verdictValidity: uncertainty.validity } } : {}),
      ...withinDomainJson(within, inside),
    }, null, 2)}\n`;
  }
  if (context.format === "csv") return `${rowsToCsv(rows.map((r, i) => ({ ...targetRecord(r, context, uncertainty?.summary ?? null), ...withinDomainRecord(inside?.[i]) })))}\n`;
  const bandHeader = uncertainty ? ["compute 90% band", "vs supervised band", "data ratio band", "cheaper", "members"] : [];
  const header = ["strategy", "least compute", "vs supervised", "D_S", "N_T", "D_T", "L_T", "tokens (Eq. 34)", "data ratio", "student / logits / teacher FLOPs", ...bandHeader];
  const bandCells = (id: string): string[] => {
    const s = uncertainty?.summary.strategies.find((u) => u.id === id);
    if (!s) return [];
    return [formatWidenedBand(s.compute, exponent), formatWidenedBand(s.computeRatio, ratio), formatWidenedBand(s.dataRatio, ratio),
      s.shareCheaperThanSupervised === null ? "-" : formatShare(s.shareCheaperThanSupervised),
      `${s.used}${s.unreachable ? ` (${s.unreachable} unreachable)` : ""}${s.failed ? ` (${s.failed} failed: ${s.failure})` : ""}`];
  };
  const body = rows.map(({ id, label, result: r, computeRatio, dataRatio }) => [...(r.status === "unreachable"
    ? [label, "unreachable", r.floor === null ? "nothing inside" : `floor ${r.floor.toFixed(4)}`, "", "", "", "", "", "", ""]
    : [label, exponent(r.compute), ratio(computeRatio!), number(r.studentTokens), number(r.teacherParameters), number(r.teacherTokens),
      r.teacherLoss === null ? "-" : r.teacherLoss.toFixed(4), number(r.dataTokens), ratio(dataRatio!),
      [r.flops.studentTraining, r.flops.teacherLogits, r.flops.teacherPretraining].map((x) => `${((100 * x) / r.flops.total).toFixed(1)}%`).join(" / ")]),
  ...bandCells(id)]);
  const notes = rows.flatMap(({ label, result: r }) => [
    ...(r.status === "unreachable" ? [`${label}: ${r.message}`] : []),
    ...(r.status === "optimal" && r.bounds.studentTokens === "lower" ? [`${label}: D_S sits at its lower bound; the target is reached for the least budget the bounds allow, and the loss there is ${r.studentLoss.toFixed(4)}.`] : []),
    ...(r.status === "optimal" ? ([["N_T", r.bounds.teacherParameters], ["D_T", r.bounds.teacherTokens]] as const).flatMap(([name, flag]) => flag
      ? [`${label}: ${name} at the ${(flag === "lower" ? DEFAULT_BOUNDS[0] : DEFAULT_BOUNDS[1]).toExponential(0).replace("+", "")} limit of the search: that part of the answer is the limit's, not an optimum of the laws.`]
      : []) : []),
    ...(r.status === "optimal" && !r.teacherDetermined && r.teacherLoss !== null ? [`${label}: the teacher costs nothing here; only L_T is determined, the teacher shown is the cheapest reaching it.`] : []),
    ...(r.status === "optimal" && validityText(r, context) ? [`${label}: outside the fitted domain: ${validityText(r, context)}`] : []),
  ]);
  const uncertaintyNotes = uncertainty
    ? [`Uncertainty: ${uncertainty.ensembleLine} "cheaper": the share of samples in which the strategy needs less compute than supervised training (unreachable counts as not cheaper).`,
      ...widenedNote(uncertainty.summary.strategies.flatMap((s) => [s.compute, s.computeRatio, s.dataRatio])),
      uncertainty.summary.verdict.sentence, ...(uncertainty.validity ? [uncertainty.validity] : [])]
    : ["These are the point fit's numbers; for 90% bands over the coefficient set's ensemble and a verdict on which strategy needs the least compute, add --uncertainty."];
  return renderTable(header, body, [
    `Least compute to bring a ${formatQuantity(studentParameters)}-parameter student to ${targetLoss} nats; ${describeInputs(context)}`,
    "\"vs supervised\" is Figure 33's compute ratio, \"data ratio\" Figure 34's (tokens counted as Eq. 34: D_S + delta_pre D_T).",
  ], [...notes, ...uncertaintyNotes]) + (inside ? `\n${renderWithinDomain(inside, context.domain!)}` : "");
}

/** The JSON member of a within-domain answer (nothing without --within-domain). */
function withinDomainJson(within: { factor: number; box: unknown } | null, inside: WithinDomainSummary[] | null) {
  return within && inside ? { withinDomain: { factor: within.factor, box: within.box, rows: inside } } : {};
}

// ---------------------------------------------------------------------------------------------
// Lifetime.

function lifetimeRecord(r: LifetimeAnswer, extra: Record<string, number | undefined>, context: QuestionContext, uncertainty: LifetimeUncertainty | null) {
  const ok = r.status === "optimal" ? r : null;
  const a = ok?.allocation;
  return {
    strategy: r.id, label: r.label, ...extra, status: r.status,
    student_parameters: ok?.studentParameters ?? null, tokens_per_parameter: ok?.tokensPerParameter ?? null, L_S: ok?.studentLoss ?? null,
    D_S: a?.studentTokens ?? null, N_T: a?.teacherParameters ?? null, D_T: a?.teacherTokens ?? null, L_T: a?.teacherLoss ?? null,
    flops_student_training: ok?.lifetime.studentTraining ?? null, flops_teacher_logits: ok?.lifetime.teacherLogits ?? null,
    flops_teacher_pretraining: ok?.lifetime.teacherPretraining ?? null, flops_serving: ok?.lifetime.serving ?? null,
    flops_lifetime: ok?.lifetime.total ?? null,
    delta_logits: a?.weights.deltaLogits ?? null, delta_pretraining: a?.weights.deltaPretraining ?? null,
    message: r.status === "unreachable" ? r.message : null,
    bounds: ok ? describeLifetimeBounds(ok.bounds) : null, tokens_per_parameter_floor: ok?.bounds.tokensPerParameterFloor ?? null,
    validity: validityText(a ?? null, context),
    coefficient_set: context.coefficients.label, flops_model: describeFlopsModel(context.flops),
    ...(uncertainty ? lifetimeBandRecord(uncertainty, r.id) : {}),
  };
}

/** The bands, shares and verdict under the point table: one row per strategy; then what the verdict's strategy needs of the laws. */
function renderLifetimeUncertainty(u: LifetimeUncertainty, results: readonly LifetimeAnswer[], context: QuestionContext): string {
  const target = u.comparison === "ratio";
  const pct = `${Math.round(100 * u.level)}%`;
  const header = ["strategy", `N_S* ${pct} band`, `D_S/N_S ${pct} band`, target ? `lifetime FLOPs ${pct} band` : `L_S ${pct} band`,
    target ? `ratio to supervised ${pct} band` : `vs supervised ${pct} band`, "beats supervised", "members"];
  const body = u.strategies.map((s) => [
    s.label,
    formatBand(s.studentParameters, formatQuantity),
    formatBand(s.tokensPerParameter, (x) => x.toPrecision(3)),
    target ? formatWidenedBand(s.lifetimeFlops, (x) => formatExponent(x, 3)) : formatWidenedBand(s.studentLoss, (x) => x.toFixed(4)),
    s.versusSupervised === null ? "-" : formatWidenedBand(s.versusSupervised, target ? (x) => x.toFixed(3) : (x) => `${x > 0 ? "+" : x < 0 ? "-" : ""}${Math.abs(x).toFixed(4)}`),
    s.shareBeatingSupervised === null ? "-" : formatShare(s.shareBeatingSupervised),
    `${s.used}${s.unreachable ? ` (${s.unreachable} unreachable)` : ""}${s.failed ? ` (${s.failed} failed: ${s.failure})` : ""}`,
  ]);
  return renderTable(header, body, [
    `Uncertainty: ${describeEnsembleUse(u)} ${u.ensembleDescription}`,
    `Each sample answers the question on its own (its own best student size per strategy); the comparison with supervised training is paired within each sample${target ? " (lifetime FLOPs / supervised's)" : " (L_S minus supervised's)"}.`,
  ], [
    ...widenedNote(u.strategies.flatMap((s) => [s.lifetimeFlops, s.studentLoss, s.versusSupervised])),
    u.verdict.sentence,
    pointExtrapolationNote(u.verdict, results.map((r) => ({ id: r.id, label: r.label, point: r.status === "optimal" ? r.allocation : null })), context.domain),
  ].filter((line) => line !== ""));
}

/** " (on a search limit: ...)" for an answer on a limit of the search, "" otherwise. */
function onLimit(bounds: LifetimeBounds): string {
  const text = describeLifetimeBounds(bounds);
  return text ? ` (on a search limit: ${text})` : "";
}

export function printLifetime(
  question: LifetimeQuestion,
  served: number,
  strategies: readonly LifetimeStrategy[],
  context: QuestionContext,
): string {
  const minStudentTokensPerParameter = lifetimeTokensFloor(context.domain);
  const options = { coefficients: context.coefficients, flops: context.flops, minStudentTokensPerParameter };
  const results = lifetimeAnswer(question, served, strategies, options);
  assertFiniteResult(results, "results");
  const uncertainty = context.ensemble
    ? lifetimeUncertainty({ question, servedTokens: served, strategies, flops: context.flops, minStudentTokensPerParameter, outOfDomain: widening(context) }, results, context.ensemble,
      { domain: context.domain, coefficients: context.coefficients })
    : null;
  const extra = "targetLoss" in question ? { target_loss: question.targetLoss, served_tokens: served } : { lifetime_budget: question.budget, served_tokens: served };
  const within = context.withinDomain == null || context.domain === null ? null
    : lifetimeWithinDomain(question, served, strategies, context.domain, { ...options, factor: context.withinDomain });
  const inside = within && summariseLifetimeWithinDomain(within, question);
  if (context.format === "json") {
    return `${JSON.stringify({
      inputs: { ...question, servedTokens: served, coefficientSet: context.coefficients.label, flopsModel: context.flops, minStudentTokensPerParameter },
      rows: results.map((r) => ({ ...r, validity: validityText(r.status === "optimal" ? r.allocation : null, context) })),
      validityDomain: context.domain,
      distillationLaw: context.distillationLaw ?? FITTED_DISTILLATION,
      ...(uncertainty ? { uncertainty } : {}),
      ...withinDomainJson(within, inside),
    }, null, 2)}\n`;
  }
  if (context.format === "csv") return `${rowsToCsv(results.map((r, i) => ({ ...lifetimeRecord(r, extra, context, uncertainty), ...withinDomainRecord(inside?.[i]) })))}\n`;
  const header = ["strategy", "N_S", "D_S/N_S", "L_S", "N_T", "D_T", "training", "logits", "teacher", "serving", "lifetime FLOPs", "bounds"];
  const body = results.map((r) => r.status === "unreachable"
    ? [r.label, "unreachable", "", "", "", "", "", "", "", "", "", ""]
    : [r.label, number(r.studentParameters), r.tokensPerParameter.toPrecision(3), r.studentLoss.toFixed(4),
      number(r.allocation.teacherParameters), number(r.allocation.teacherTokens),
      exponent(r.lifetime.studentTraining), exponent(r.lifetime.teacherLogits), exponent(r.lifetime.teacherPretraining),
      exponent(r.lifetime.serving), exponent(r.lifetime.total), describeLifetimeBounds(r.bounds) || "-"]);
  const feasible = results.filter((r): r is LifetimeAnswer & { status: "optimal" } => r.status === "optimal");
  const score = (r: typeof feasible[number]) => ("targetLoss" in question ? r.lifetime.total : r.studentLoss);
  const best = feasible.reduce<typeof feasible[number] | null>((a, b) => (a === null || score(b) < score(a) ? b : a), null);
  const summary = best === null ? "No strategy reaches the question within the bounds." : "targetLoss" in question
    ? `Least lifetime FLOPs: ${best.label.toLowerCase()}, a ${formatQuantity(best.studentParameters)} student on ${best.tokensPerParameter.toPrecision(3)} tokens per parameter, ${formatExponent(best.lifetime.total, 4)} FLOPs${onLimit(best.bounds)}.`
    : `Lowest loss: ${best.label.toLowerCase()}, a ${formatQuantity(best.studentParameters)} student at ${best.studentLoss.toFixed(4)} nats${onLimit(best.bounds)}.`;
  return renderTable(header, body, [
    ("targetLoss" in question
      ? `Student size minimising lifetime FLOPs (training + serving) to reach ${question.targetLoss} nats`
      : `Lowest loss for a lifetime budget of ${formatExponent(question.budget, 4)} FLOPs (training + serving)`) +
      `, serving ${formatExponent(served, 4)} tokens at F(N_S) FLOPs each (prompt and generated tokens both counted); ${describeInputs(context)}`,
  ], [
    summary,
    ...results.flatMap((r) => (r.status === "unreachable" ? [`${r.label}: ${r.message}`] : [])),
    `Students are trained on at least ${minStudentTokensPerParameter.toPrecision(3)} tokens per parameter (${context.domain ? "the smallest D_S/N_S of the fitted runs" : "no validity domain: a floor of one"}); a row on that floor answers with the floor, not an optimum of the laws.`,
    ...results.flatMap((r) => {
      const text = r.status === "optimal" ? validityText(r.allocation, context) : "";
      return text ? [`${r.label}: outside the fitted domain: ${text}`] : [];
    }),
    ...(context.domain ? [`Validity domain: ${context.domain.source}.`] : []),
  ]) + (uncertainty ? `\n${renderLifetimeUncertainty(uncertainty, results, context)}`
    : "The answer above is the point fit's; for the 90% bands and a verdict across the coefficients' uncertainty, add --uncertainty.\n") +
    (inside ? `\n${renderWithinDomain(inside, context.domain!)}` : "");
}

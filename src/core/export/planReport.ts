// A plan as exported by the CLI and the planner page alike: the point rows (plan.ts), each with the
// validity flags of what it needs of the laws, and, when an ensemble was planned, the bands, the
// share beating supervised training and the verdict. One function for both, so that a download
// from the page and `npm run plan --format csv` carry the same columns and values.

import { planRecords, type PlanExportContext, type PlanRow } from "../allocation/plan.js";
import { planValidityFlags, type ValidityDomain, type ValidityFlag } from "../domain/validity.js";
import type { PlanUncertainty } from "../uncertainty/planUncertainty.js";
import { bandColumns } from "../ensemble/bands.js";
import { widenedBandColumnNames, widenedBandColumns } from "../domain/bandWidening.js";
import { describeEnsembleUse, memberCountColumns, verdictColumns, MEMBER_COUNT_COLUMNS, VERDICT_COLUMNS } from "../ensemble/summary.js";


/** The validity flags of every row, in row order. */
export function rowsValidityFlags(rows: readonly PlanRow[], domain: ValidityDomain | null | undefined): ValidityFlag[][] {
  return rows.map((row) => planValidityFlags(row, domain));
}

/** The loss bands, widened beyond the runs (their columns say so), then the allocation's. */
const WIDENED_BAND_FIELDS = [["L_S", "studentLoss"], ["L_S_minus_supervised", "differenceToSupervised"]] as const;
const BAND_FIELDS = [["D_S", "studentTokens"], ["N_T", "teacherParameters"], ["D_T", "teacherTokens"]] as const;

/** Column names of the uncertainty part of an export. */
export const UNCERTAINTY_COLUMNS = [
  ...WIDENED_BAND_FIELDS.flatMap(([name]) => widenedBandColumnNames(name)),
  ...BAND_FIELDS.flatMap(([name]) => [`${name}_p05`, `${name}_median`, `${name}_p95`]),
  "share_beating_supervised", ...MEMBER_COUNT_COLUMNS, "ensemble", ...VERDICT_COLUMNS,
] as const;

/**
 * Flat records: planRecords' columns, then `validity` (the flags' messages, "; "-separated,
 * `validity_domain` naming the box), then with an uncertainty the band columns.
 */
export function planReportRecords(
  rows: readonly PlanRow[],
  context: PlanExportContext,
  { domain = null, uncertainty = null }: { domain?: ValidityDomain | null; uncertainty?: PlanUncertainty | null } = {},
): Record<string, string | number | boolean | null>[] {
  const flags = rowsValidityFlags(rows, domain);
  return planRecords(rows, context).map((record, i) => {
    const out: Record<string, string | number | boolean | null> = {
      ...record,
      validity: flags[i].map((f) => f.message).join("; "),
      validity_domain: domain ? domain.source : "none given: not checked",
    };
    if (uncertainty) {
      const u = uncertainty.strategies.find((s) => s.strategy === rows[i].strategy) ?? null;
      for (const [name, key] of WIDENED_BAND_FIELDS) Object.assign(out, widenedBandColumns(name, u ? u[key] : null));
      for (const [name, key] of BAND_FIELDS) Object.assign(out, bandColumns(name, u ? u[key] : null));
      out.share_beating_supervised = u?.shareBeatingSupervised ?? null;
      Object.assign(out, memberCountColumns(u, uncertainty.leftOut));
      out.ensemble = describeEnsembleUse(uncertainty);
      Object.assign(out, verdictColumns(uncertainty.verdict));
    }
    return out;
  });
}

// The runs browser's pieces: example SQL queries over the two run tables, the outcome of a query
// (rows and columns, or DuckDB's error), and a scatter plot of any two numeric result columns.

import * as Plot from "@observablehq/plot";
import * as d3 from "d3";

export interface ExampleQuery {
  name: string;
  sql: string;
}

/** The tables DuckDB holds: supervised-runs.csv and distillation-runs.csv of the build's fits. */
export const RUN_TABLES = { supervised: "supervised", distillation: "distillation" } as const;

export const EXAMPLE_QUERIES: readonly ExampleQuery[] = [
  {
    name: "Runs per data set",
    sql: `SELECT dataset,
  (SELECT count(*) FROM supervised s WHERE s.dataset = d.dataset) AS supervised_runs,
  count(*) AS distillation_runs
FROM distillation d
GROUP BY dataset
ORDER BY dataset`,
  },
  {
    name: "Count by protocol",
    sql: `SELECT dataset, protocol, count(*) AS runs,
  avg(abs(relative_residual)) AS mean_abs_residual
FROM distillation
GROUP BY dataset, protocol
ORDER BY runs DESC`,
  },
  {
    name: "Worst residuals (distillation)",
    sql: `SELECT dataset, line, N_S, D_S, N_T, D_T, L_T, L_S, L_S_predicted, relative_residual, protocol
FROM distillation
ORDER BY abs(relative_residual) DESC
LIMIT 20`,
  },
  {
    name: "Runs of one teacher (1.82B, D_T = 20 N_T)",
    sql: `-- L_S - L_S_supervised < 0: the distilled student beat its supervised twin (Figure 6's colour)
SELECT N_S, D_S, L_S, L_S_supervised, L_S - L_S_supervised AS difference, protocol
FROM distillation
WHERE round(N_T / 1e6) = 1821 AND round(D_T / N_T) = 20
ORDER BY N_S, D_S`,
  },
  {
    name: "Supervised IsoFLOP profiles",
    sql: `SELECT protocol, N, D, L, L_predicted, relative_residual, split
FROM supervised
WHERE protocol LIKE 'IsoFLOP%'
ORDER BY protocol, N`,
  },
  {
    name: "Extrapolation split (held-out runs)",
    sql: `SELECT 'supervised' AS law, count(*) AS held_out, max(abs(relative_residual)) AS max_abs_residual
FROM supervised WHERE split = 'held-out'
UNION ALL
SELECT 'distillation', count(*), max(abs(relative_residual))
FROM distillation WHERE split = 'held-out'`,
  },
];

/** What a query produced: rows and columns, or the engine's error message. */
export type QueryOutcome =
  | { ok: true; rows: Record<string, unknown>[]; columns: string[]; numericColumns: string[]; milliseconds: number }
  | { ok: false; message: string };

/** The subset of an Apache Arrow table a query result offers. */
interface ArrowLike {
  schema: { fields: { name: string; type: { typeId: number } }[] };
  toArray(): { toJSON(): Record<string, unknown> }[];
}

/**
 * Runs `sql` on `client` and never throws: a bad query is an outcome to show, not a page error.
 * What a query may do is the client's to enforce (runsSandbox.ts), not this function's.
 */
export async function runQuery(client: { query(sql: string): Promise<ArrowLike> }, sql: string): Promise<QueryOutcome> {
  const started = performance.now();
  if (sql.trim() === "") return { ok: false, message: "Type a query, such as SELECT * FROM supervised LIMIT 10." };
  try {
    const table = await client.query(sql);
    const rows = table.toArray().map((row) => row.toJSON());
    const columns = table.schema.fields.map((field) => field.name);
    // Arrow type ids 2 (Int), 3 (Float) and 7 (Decimal) are the numbers one can plot.
    const numericColumns = table.schema.fields.filter((field) => [2, 3, 7].includes(field.type.typeId)).map((field) => field.name);
    // DECIMAL and 64-bit integers arrive as non-numbers; plotted and tabulated as numbers.
    for (const row of rows) for (const column of numericColumns) if (typeof row[column] !== "number" && row[column] != null) row[column] = Number(row[column]);
    return { ok: true, rows, columns, numericColumns, milliseconds: performance.now() - started };
  } catch (error) {
    return { ok: false, message: (error as Error)?.message ?? String(error) };
  }
}

/** Log scale when every value is positive and they span more than a factor of 30. */
export function suggestLog(rows: readonly Record<string, unknown>[], column: string): boolean {
  const values = rows.map((row) => row[column]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (values.length === 0 || values.some((v) => v <= 0)) return false;
  return Math.max(...values) / Math.min(...values) > 30;
}

export interface ScatterOptions {
  x: string;
  y: string;
  color?: string | null;
  logX?: boolean;
  logY?: boolean;
  width?: number;
}

/**
 * The left margin the y tick labels need: Plot's default 40 px cut "0.00210" to "00210". Measured
 * from the labels d3 would write for the same scale (about 7 px a character at 10 px sans-serif).
 */
export function yTickMargin(values: readonly number[], { log = false, height = 380 }: { log?: boolean; height?: number } = {}): number {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (finite.length === 0) return 40;
  const [lo, hi] = d3.extent(finite) as [number, number];
  const count = Math.round(height / 35);
  const scale = log ? d3.scaleLog().domain([lo, hi === lo ? lo * 10 : hi]) : d3.scaleLinear().domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]);
  const format = scale.tickFormat(count);
  const longest = Math.max(...scale.ticks(count).map((t) => format(t).length));
  return Math.max(40, Math.ceil(7 * longest + 12));
}

/** The result rows as dots; `color` may name any column, numeric or not. */
export function resultScatter(rows: readonly Record<string, unknown>[], { x, y, color = null, logX = false, logY = false, width = 640 }: ScatterOptions) {
  const yValues = rows.map((row) => row[y]).filter((v): v is number => typeof v === "number");
  return Plot.plot({
    width,
    height: 380,
    marginLeft: yTickMargin(yValues, { log: logY, height: 380 }),
    x: { type: logX ? "log" : "linear", label: `${x} →`, grid: true },
    y: { type: logY ? "log" : "linear", label: `↑ ${y}`, grid: true },
    color: color ? { legend: true, label: color } : undefined,
    marks: [
      Plot.dot(rows, { x, y, stroke: color ?? "currentColor", r: 3, tip: true, className: "runs-scatter" }),
    ],
  });
}

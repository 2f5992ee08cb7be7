// The frame of the faceted charts against total compute (Figure 8 and the allocation figures
// 9, 20-29): facets side by side, compute on a log x axis labelled every other decade, and the
// exponent tick format those axes use.

import * as Plot from "@observablehq/plot";
import { formatExponent } from "../../core/inputs/units.js";

/** Decade ticks labelled 1e17, 1e19, ...: every other decade keeps narrow facets legible. */
export function decadeTicks(min: number, max: number, step = 2): number[] {
  const ticks: number[] = [];
  // Ticks at the very ends of a facet would run into the neighbouring facet's labels.
  const first = Math.ceil(Math.log10(min) + 0.5), last = Math.floor(Math.log10(max) - 0.5);
  for (let e = first; e <= last; e += step) ticks.push(10 ** e);
  return ticks;
}

export const exponentFormat = (d: number) => formatExponent(d, 2);

/** One facet per student, headed "N_S = <name>", in the order given. */
export function studentFacets(students: readonly string[], width: number | undefined, marginLeft = 48): FacetLayout {
  return facetLayout(students, width, { heading: (d) => `N_S = ${d}`, marginLeft });
}

/** Narrower facets than this wrap onto more rows (tick labels and headings need the room). */
export const MIN_FACET_WIDTH = 180;

/**
 * Facets that wrap: side by side while each gets MIN_FACET_WIDTH, else in one or two columns and
 * several rows, each headed in the facet (Plot's fx headings would run together: "N_S = 198MN_S =
 * 546M"). Marks take their facet from `channels(key)` either way.
 */
export interface FacetLayout {
  columns: number;
  rows: number;
  /** fx/fy scale options and the top margin the headings need. */
  scales: Pick<Plot.PlotOptions, "fx" | "fy" | "marginTop">;
  /** A mark's facet channels for a row accessor (a field name or function of the datum). */
  channels<T>(key: string | ((d: T) => string)): { fx: string | ((d: T) => string | number); fy?: (d: T) => number };
  /** The headings when wrapped (Plot's fx axis labels them otherwise). */
  headings: Plot.Markish | null;
  /** The height for `rowHeight` per row of facets. */
  height(rowHeight: number): number;
}

/**
 * The top margin of faceted charts: Plot writes the y-axis label ("↑ ...") along the svg's top
 * edge and the (first row's) facet headings sit just above the frame, so each needs a line of its own.
 */
const FACET_MARGIN_TOP = 42;

export function facetLayout(
  domain: readonly string[], width: number | undefined,
  { heading = (d: string) => d, marginLeft = 48 }: { heading?: (d: string) => string; marginLeft?: number } = {},
): FacetLayout {
  const available = (width ?? 640) - marginLeft - 20;
  const fits = Math.max(1, Math.floor(available / MIN_FACET_WIDTH));
  const columns = Math.min(domain.length || 1, fits);
  if (columns >= domain.length) {
    return {
      columns, rows: 1,
      scales: { fx: { domain: [...domain], label: null, tickFormat: heading }, marginTop: FACET_MARGIN_TOP },
      channels: (key) => ({ fx: key }),
      headings: null,
      height: (rowHeight) => rowHeight,
    };
  }
  const index = new Map(domain.map((d, i) => [d, i]));
  const keyOf = <T>(key: string | ((d: T) => string)) => (d: T) => (typeof key === "function" ? key(d) : (d as Record<string, string>)[key]);
  const rows = Math.ceil(domain.length / columns);
  return {
    columns, rows,
    scales: { fx: { axis: null, domain: [...Array(columns).keys()] }, fy: { axis: null, domain: [...Array(rows).keys()], padding: 0.22 }, marginTop: FACET_MARGIN_TOP },
    channels: <T>(key: string | ((d: T) => string)) => {
      const of = keyOf(key);
      return { fx: (d: T) => index.get(of(d))! % columns, fy: (d: T) => Math.floor(index.get(of(d))! / columns) };
    },
    headings: Plot.text(domain, {
      fx: (_: string, i: number) => i % columns, fy: (_: string, i: number) => Math.floor(i / columns),
      frameAnchor: "top", dy: -6, lineAnchor: "bottom", text: heading, fontWeight: 600, className: "facet-heading",
    }),
    // A wrapped row is shorter than a desktop one: the rows together stay readable on a phone.
    height: (rowHeight) => Math.round(rows * rowHeight * 0.75) + 40,
  };
}

/**
 * When the facets are wrapped, gives the chart a way to redraw itself for export (export.ts draws
 * it at EXPORT_WIDTH), so a figure saved on a phone has the desktop layout.
 */
export function exportAtDesktopWidth<E extends Element>(chart: E, facets: FacetLayout, draw: (width: number) => Element): E {
  if (facets.rows > 1) (chart as E & { exportRender?: (width: number) => Element }).exportRender = draw;
  return chart;
}

export interface ComputeFacetsOptions {
  /** The budgets plotted: the x ticks span them. */
  budgets: readonly number[];
  /** The facets: which, in which order, with which headings. */
  facets: FacetLayout;
  width?: number;
  height?: number;
  marginLeft: number;
  /** Vertical grid lines at the compute ticks. */
  grid?: boolean;
}

/** Plot options for the frame of a faceted chart against compute; the caller adds y, colour and marks. */
export function computeFacetsFrame({ budgets, facets, width, height, marginLeft, grid }: ComputeFacetsOptions) {
  return {
    width,
    height: facets.height(height ?? 380),
    marginLeft,
    // Room for the exponent tick labels and the axis label under the facets.
    marginBottom: 40,
    ...facets.scales,
    x: {
      type: "log", label: "Total compute C (FLOPs) →", ticks: decadeTicks(Math.min(...budgets), Math.max(...budgets)),
      tickFormat: exponentFormat, ...(grid ? { grid: true } : {}),
    },
  } satisfies Plot.PlotOptions;
}

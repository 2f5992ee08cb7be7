// The frame of the faceted charts against total compute (Figure 8 and the allocation figures
// 9, 20-29): facets side by side, compute on a log x axis labelled every other decade, and the
// exponent tick format those axes use.

import type * as Plot from "@observablehq/plot";
import { formatExponent } from "../core/units.js";

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
export function studentFacets(students: readonly string[]): Plot.ScaleOptions {
  return { domain: students, label: null, tickFormat: (d: string) => `N_S = ${d}` };
}

export interface ComputeFacetsOptions {
  /** The budgets plotted: the x ticks span them. */
  budgets: readonly number[];
  /** The fx scale: which facets, in which order, with which headings. */
  facets: Plot.ScaleOptions;
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
    height,
    marginLeft,
    // Room for the exponent tick labels and the axis label under the facets.
    marginBottom: 40,
    fx: facets,
    x: {
      type: "log", label: "Total compute C (FLOPs) →", ticks: decadeTicks(Math.min(...budgets), Math.max(...budgets)),
      tickFormat: exponentFormat, ...(grid ? { grid: true } : {}),
    },
  } satisfies Plot.PlotOptions;
}

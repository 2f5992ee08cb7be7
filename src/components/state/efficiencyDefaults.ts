// Figures 33/34's default view: the page's initial coefficient set and students, and how many
// targets along each curve the bands are computed at. One definition, so the bands the build
// precomputes (efficiency-bands.json in the fits archive, src/node/efficiencyDefaultBands.ts)
// match what opens.

export const EFFICIENCY_DEFAULTS = Object.freeze({
  coefficients: "paper",
  students: "300M, 500M, 1B, 2B, 3B, 5B, 10B, 30B",
  /**
   * Targets along each curve (student and scenario) of the bands' grid: 8 puts one every half
   * 0.54 decade of supervised tokens per parameter on the longest curves (1 to 20,000). Measured
   * (2026-12-01): 0.5 ms per solve in Node, so the default view costs 8 students x 4 scenarios x
   * 8 targets x 203 members, about 26 s of CPU (12 s on two worker threads in the build).
   */
  targetsPerCurve: 8,
});

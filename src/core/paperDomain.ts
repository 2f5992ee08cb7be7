// The validity domain of the paper's Table 6: the box of the paper's design (Section 4.2, SPEC
// section 7), taken from the design the bundled synthetic data set simulates. The paper's own runs
// are not public; the design's sizes, tokens and teachers are those the paper states.

import { generatePaperSynthetic } from "./synth.js";
import { validityDomain, type ValidityDomain } from "./validity.js";

let cached: ValidityDomain | null = null;

export function paperDomain(): ValidityDomain {
  cached ??= (() => {
    const design = generatePaperSynthetic();
    return validityDomain(design.supervised, design.distillation, "the paper's design (Section 4.2; the runs the bundled synthetic data set simulates)");
  })();
  return cached;
}

// The validity domain of a coefficient set (SPEC section 9): the box each law's runs span.
// CONTRACT shared by the loader, the CLI, the planner and the figures: keep these names and fields.

export interface Range {
  min: number;
  max: number;
}

export interface ValidityDomain {
  /** Where the box comes from ("the 372 runs of data set X", "the paper's design (Section 4.2)"). */
  source: string;
  supervised: { parameters: Range; tokens: Range; tokensPerParameter: Range };
  distillation: {
    studentParameters: Range;
    studentTokens: Range;
    studentTokensPerParameter: Range;
    teacherLoss: Range;
    teacherParameters: Range;
    teacherTokens: Range;
  } | null;
}

export interface ValidityFlag {
  /** The planned quantity, as the tables name it: "N_S", "D_S", "D_S/N_S", "N_T*", "D_T*", "L_T*", "N", "D", "D/N". */
  variable: string;
  value: number;
  /** Which edge of the domain it is beyond. */
  side: "below" | "above";
  /** The edge it is compared with. */
  edge: number;
  /** value / edge above the domain, edge / value below: always >= 1. */
  factor: number;
  /** "N_T* = 105B: 8x the largest fitted teacher". */
  message: string;
}

// The ranges every typed number is held to, in one place: the field parser enforces them and the
// pages state them (the capacity-gap page lists them under "What the fields accept"), so what a
// page says it accepts and what it accepts cannot drift apart.
//
// Why these ends: the laws were fitted to students of 1.4e8 to 1.2e10 parameters and the paper
// plots up to 1e14 (100T), so a larger student is not a question the laws can answer; teachers,
// tokens and the optimiser's variables live in its box [1e6, 1e17] (Section 5.3); architecture
// numbers are those of real transformers with generous room either side.

export interface InputLimit {
  /** Smallest accepted value (inclusive). */
  readonly min: number;
  /** Largest accepted value (inclusive). */
  readonly max: number;
  /** What the number is, for messages: "a student size". */
  readonly what: string;
  /** Plural unit shown with the range: "parameters". */
  readonly unit: string;
  /** An example of a good value as typed. */
  readonly example: string;
}

const limit = (min: number, max: number, what: string, unit: string, example: string): InputLimit =>
  Object.freeze({ min, max, what, unit, example });

/** The optimiser's box for N_T, D_S and D_T (Section 5.3). */
export const OPTIMISER_BOX: readonly [number, number] = Object.freeze([1e6, 1e17]) as readonly [number, number];

export const INPUT_LIMITS = Object.freeze({
  studentParameters: limit(1e6, 1e14, "a student size", "parameters", "546M, 1.5B or 3e9"),
  teacherParameters: limit(OPTIMISER_BOX[0], OPTIMISER_BOX[1], "a teacher size", "parameters", "7B or 7e9"),
  tokens: limit(OPTIMISER_BOX[0], OPTIMISER_BOX[1], "a number of tokens", "tokens", "20B or 2e10"),
  /** Any budget in FLOPs; whether a student can spend it is checked against the optimiser's box too. */
  budgetFlops: limit(1e12, 1e35, "a budget in FLOPs", "FLOPs", "3e22"),
  gpuHours: limit(1e-3, 1e12, "a number of GPU-hours", "GPU-hours", "20000 or 1.5M"),
  throughput: limit(1e9, 1e18, "a peak throughput per GPU", "FLOP/s", "989e12"),
  utilisation: limit(1e-3, 100, "a utilisation", "% of peak", "40"),
  contextLength: limit(1, 1e8, "a context length", "tokens", "4096"),
  vocabularySize: limit(1, 1e8, "a vocabulary size", "tokens", "32168"),
  rhoModel: limit(1, 1e4, "d_model / n_layers", "", "128"),
  groupSize: limit(1, 1024, "a GQA group size", "", "1"),
  feedForwardMatrices: limit(1, 16, "a number of feed-forward matrices", "", "3"),
  rhoFfn: limit(0.01, 100, "d_ff / d_model", "", "8/3"),
  loss: limit(0.01, 100, "a loss", "nats", "2.1"),
  /** Tokens a model serves over its life (0: none); 1e18 is a thousand times the largest training run planned here. */
  servedTokens: limit(0, 1e18, "a number of tokens served", "tokens", "1e12 or 2T"),
  tokensPerDay: limit(1, 1e15, "a number of tokens served per day", "tokens", "10B"),
  days: limit(1e-3, 36500, "a number of days", "days", "365"),
  /** Students sharing one teacher (Eq. 9 with the teacher's cost split k ways). */
  studentsSharingTeacher: limit(1, 1e6, "a number of students sharing a teacher", "students", "8"),
  /** A weight delta of Eq. 9. */
  weight: limit(0, 1, "a weight of Eq. 9", "", "0.5"),
  /**
   * Bootstrap resamples of a fit (`fit --bootstrap`, /yourruns): each is a refit of every law and a
   * member every band is computed with. The 90% intervals' ends are the 5th and 95th percentiles,
   * whose coverage varies by sqrt(0.05 x 0.95 / N): 0.2 percentage points at 10,000 members, far
   * below any other error of the bands; more would only cost hours of refits and a larger file.
   */
  bootstrapResamples: limit(1, 1e4, "a number of bootstrap resamples", "resamples", "100"),
});

export type InputLimitName = keyof typeof INPUT_LIMITS;

// The paper's model family (Table 13): names, sizes, shapes and forward FLOPs per token. The one
// source of these numbers: src/data/table13-models.csv is written from it by its data loader,
// and every lookup of a model by name goes through `table13Model`.

export interface Table13Model {
  name: string;
  /** Non-embedding parameters: Table 13's N_billion times 1e9. */
  N: number;
  /** The columns as the paper prints them (billions where the name says so). */
  N_billion: number;
  N_total_billion: number;
  n_layers: number;
  d_model: number;
  d_ff: number;
  C_fwd_billion: number;
  C_fwd_2N_billion: number;
  C_fwd_2N_sigma_billion: number;
}

/** The CSV's columns, in its order. */
export const TABLE13_COLUMNS = [
  "name", "N_billion", "N_total_billion", "n_layers", "d_model", "d_ff", "C_fwd_billion", "C_fwd_2N_billion", "C_fwd_2N_sigma_billion",
] as const;

type Row = [string, number, number, number, number, number, number, number, number];

// As printed in Table 13; N is computed from the printed decimal so that 0.9755 gives 9.755e8 exactly.
const ROWS: readonly Row[] = [
  ["103M", 0.1028, 0.1363, 8, 1024, 2816, 0.3411, 0.2056, 0.3398],
  ["143M", 0.1434, 0.1811, 9, 1152, 3072, 0.4487, 0.2867, 0.4471],
  ["198M", 0.1983, 0.2402, 10, 1280, 3456, 0.587, 0.3965, 0.5853],
  ["266M", 0.2657, 0.3118, 11, 1408, 3840, 0.7524, 0.5314, 0.7505],
  ["340M", 0.3398, 0.3901, 12, 1536, 4096, 0.9333, 0.6796, 0.9312],
  ["435M", 0.4348, 0.4893, 13, 1664, 4480, 1.158, 0.8695, 1.156],
  ["546M", 0.546, 0.6047, 14, 1792, 4864, 1.417, 1.092, 1.415],
  ["664M", 0.6636, 0.7265, 15, 1920, 5120, 1.692, 1.327, 1.689],
  ["810M", 0.8096, 0.8767, 16, 2048, 5504, 2.025, 1.619, 2.022],
  ["975M", 0.9755, 1.047, 17, 2176, 5888, 2.4, 1.951, 2.397],
  ["1.15B", 1.147, 1.222, 18, 2304, 6144, 2.787, 2.293, 2.784],
  ["1.35B", 1.355, 1.434, 19, 2432, 6528, 3.25, 2.709, 3.247],
  ["1.59B", 1.586, 1.67, 20, 2560, 6912, 3.763, 3.172, 3.759],
  ["1.82B", 1.821, 1.909, 21, 2688, 7168, 4.284, 3.642, 4.28],
  ["2.1B", 2.102, 2.194, 22, 2816, 7552, 4.899, 4.203, 4.895],
  ["2.41B", 2.41, 2.506, 23, 2944, 7936, 5.571, 4.819, 5.567],
  ["2.72B", 2.718, 2.819, 24, 3072, 8192, 6.246, 5.436, 6.241],
  ["3.08B", 3.082, 3.187, 25, 3200, 8576, 7.034, 6.165, 7.03],
  ["3.48B", 3.478, 3.587, 26, 3328, 8960, 7.887, 6.956, 7.883],
  ["3.87B", 3.87, 3.983, 27, 3456, 9216, 8.736, 7.74, 8.731],
  ["4.33B", 4.329, 4.446, 28, 3584, 9600, 9.72, 8.658, 9.715],
  ["4.82B", 4.823, 4.944, 29, 3712, 9984, 10.78, 9.646, 10.77],
  ["5.31B", 5.309, 5.434, 30, 3840, 10240, 11.82, 10.62, 11.81],
  ["5.87B", 5.873, 6.003, 31, 3968, 10624, 13.02, 11.75, 13.01],
  ["6.48B", 6.476, 6.611, 32, 4096, 11008, 14.3, 12.95, 14.29],
  ["7.07B", 7.066, 7.204, 33, 4224, 11264, 15.56, 14.13, 15.55],
  ["7.75B", 7.747, 7.889, 34, 4352, 11648, 17, 15.49, 16.99],
  ["8.47B", 8.47, 8.617, 35, 4480, 12032, 18.52, 16.94, 18.52],
  ["9.17B", 9.173, 9.324, 36, 4608, 12288, 20.01, 18.35, 20.01],
  ["10B", 10.05, 10.2, 37, 4736, 12672, 21.85, 20.1, 21.84],
  ["10.8B", 10.84, 11, 38, 4864, 13056, 23.51, 21.67, 23.5],
  ["11.7B", 11.66, 11.83, 39, 4992, 13312, 25.26, 23.33, 25.25],
  ["12.6B", 12.61, 12.78, 40, 5120, 13696, 27.24, 25.22, 27.23],
];

/** Table 13, smallest first. */
export const TABLE13_MODELS: readonly Table13Model[] = Object.freeze(ROWS.map(
  ([name, N_billion, N_total_billion, n_layers, d_model, d_ff, C_fwd_billion, C_fwd_2N_billion, C_fwd_2N_sigma_billion]) => Object.freeze({
    name, N: Number(`${N_billion}e9`), N_billion, N_total_billion, n_layers, d_model, d_ff, C_fwd_billion, C_fwd_2N_billion, C_fwd_2N_sigma_billion,
  }),
));

const BY_NAME = new Map(TABLE13_MODELS.map((model) => [model.name, model]));

/** The Table 13 model named `name` ("546M", "1.82B"; surrounding blanks ignored), or undefined. */
export function table13Model(name: string): Table13Model | undefined {
  return BY_NAME.get(name.trim());
}

/** Table 13 as the CSV the pages load (data/table13-models.csv). */
export function table13Csv(): string {
  const lines = TABLE13_MODELS.map((model) => TABLE13_COLUMNS.map((column) => String(model[column])).join(","));
  return [TABLE13_COLUMNS.join(","), ...lines].join("\n") + "\n";
}

// How far beyond the validity domain the members of Table 6's ensemble still agree
// (docs/extrapolation.md): along each variable of the distillation law (N_S, D_S/N_S, L_T) and
// the supervised law (N, D/N), starting from the domain's edge, the 90% band width of the members'
// predicted advantage of distillation over supervised training (L_S - L(N_S, D_S), the quantity a
// planner verdict compares) at factors 1..1000 beyond the edge, relative to the width at the edge.
// Run: npm run measure:extrapolation

import { band } from "../../src/core/ensemble/bands.js";
import { paperEnsemble } from "../../src/cli/ensembleFile.js";
import { paperDomain } from "../../src/core/domain/paperDomain.js";
import { distilledLoss, supervisedLoss } from "../../src/core/laws/laws.js";

const ensemble = paperEnsemble();
const d = paperDomain().distillation!;
const s = paperDomain().supervised;
const FACTORS = (process.argv[2] ?? "1,1.5,2,3,5,10,30,100,1000").split(",").map(Number);
// A point well inside the distillation runs: 1B student, 30 tokens per parameter, a teacher of loss 2.4.
const base = { NS: 1e9, ratio: 30, LT: 2.4 };

type Point = { NS: number; ratio: number; LT: number };
const advantage = (p: Point) => ensemble.members.map((m) => distilledLoss(m, p.NS, p.NS * p.ratio, p.LT) - supervisedLoss(m.supervised, p.NS, p.NS * p.ratio));
const supervised = (N: number, ratio: number) => ensemble.members.map((m) => supervisedLoss(m.supervised, N, N * ratio));

const directions: { name: string; at: (f: number) => number[] }[] = [
  { name: "N_S above", at: (f) => advantage({ ...base, NS: d.studentParameters.max * f }) },
  { name: "N_S below", at: (f) => advantage({ ...base, NS: d.studentParameters.min / f }) },
  { name: "D_S/N_S above", at: (f) => advantage({ ...base, ratio: d.studentTokensPerParameter.max * f }) },
  { name: "D_S/N_S below", at: (f) => advantage({ ...base, ratio: d.studentTokensPerParameter.min / f }) },
  { name: "L_T below (stronger)", at: (f) => advantage({ ...base, LT: d.teacherLoss.min / f }) },
  { name: "L_T above (weaker)", at: (f) => advantage({ ...base, LT: d.teacherLoss.max * f }) },
  { name: "N above (supervised L)", at: (f) => supervised(s.parameters.max * f, 20) },
  { name: "D/N above (supervised L)", at: (f) => supervised(1e9, s.tokensPerParameter.max * f) },
  { name: "D/N below (supervised L)", at: (f) => supervised(1e9, s.tokensPerParameter.min / f) },
];

const inside = band(advantage(base))!;
console.log(`${ensemble.members.length} members; inside (N_S 1B, D_S/N_S 30, L_T 2.4): 90% band of the advantage ${(inside.high - inside.low).toFixed(4)} nats`);
console.log(["direction", ...FACTORS.map((f) => `${f}x`)].join("\t"));
for (const { name, at } of directions) {
  const widths = FACTORS.map((f) => { const b = band(at(f)); return b ? b.high - b.low : NaN; });
  console.log([name, ...widths.map((w) => `${w.toFixed(4)} (${(w / widths[0]).toFixed(1)})`)].join("\t"));
}

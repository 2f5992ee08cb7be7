// The example runs the "Your runs" page offers before any upload: the synthetic runs of the paper's
// design, written from the generator rather than read from src/data/runs/, so that the page keeps
// its example when a reader replaces the bundled data sets with their own.
import JSZip from "jszip";
import { generatePaperSynthetic, syntheticCsv } from "../core/fitting/synth.js";

const csv = syntheticCsv(generatePaperSynthetic());
const zip = new JSZip();
const date = new Date(0);
zip.file("supervised.csv", csv.supervised, { date });
zip.file("distillation.csv", csv.distillation, { date });
process.stdout.write(await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));

// Worker-thread entry of questionThreads.ts: solves one range of members of a registered ensemble
// question and posts each outcome as it is solved.

import { parentPort, workerData } from "node:worker_threads";
import type { EnsembleMember } from "../core/ensemble/ensemble.js";
import type { EnsembleQuestion } from "../core/ensemble/question.js";
import { ensembleQuestion, type QuestionName } from "../core/uncertainty/questions.js";
import type { MemberMessage, QuestionTask } from "./questionThreads.js";

const { name, input, prepared, members } = workerData as QuestionTask;
const question = ensembleQuestion(name as QuestionName) as EnsembleQuestion<unknown, unknown, unknown, unknown>;
members.forEach((member: EnsembleMember, index) => {
  const message: MemberMessage = { index, outcome: question.solveMember(member, input, prepared) };
  parentPort!.postMessage(message);
});

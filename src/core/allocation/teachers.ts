// Choosing among teachers you already have (Section 5.2, Appendix D.3): for a student size and
// either a token budget or a total compute budget, which teacher gives the best student.

import { distilledLoss, supervisedLoss } from "../laws/laws.js";
import { optimalTeacherLossWith, resolveSolverContext, type OptimizerOptions } from "./optimizer.js";
import { formatExponent } from "../inputs/units.js";

/** A teacher described by its size and either its measured loss or the tokens it was trained on. */
export interface ExistingTeacher {
  name: string;
  parameters: number;
  loss?: number;
  tokens?: number;
}

export type StudentBudget =
  | { kind: "tokens"; studentTokens: number }
  /** Total compute; `payLogits` charges the teacher's forward pass on every distillation token (Eq. 27). */
  | { kind: "compute"; budget: number; payLogits: boolean };

export interface RankedTeacher {
  name: string;
  parameters: number;
  teacherLoss: number;
  /** Whether L_T was given or predicted from (N_T, D_T) with the supervised law. */
  lossSource: "given" | "predicted";
  studentTokens: number;
  studentLoss: number;
  /** L~_S: the same student trained supervised on the same tokens. */
  supervisedStudentLoss: number;
  /** L_S - L~_S; negative when this teacher beats supervised training on the same tokens. */
  differenceToSupervised: number;
  /** Where the teacher sits against the capacity gap: stronger or weaker than L_T*. */
  side: "too strong" | "too weak" | "near optimal";
  rank: number;
}

export interface TeacherRanking {
  teachers: RankedTeacher[];
  /** L_T* for the student at the token budget of the best teacher, with the student loss it would give. */
  optimalTeacherLoss: number;
  optimalStudentLoss: number;
  recommendation: string;
}

export function rankTeachers(
  teachers: readonly ExistingTeacher[],
  studentParameters: number,
  budget: StudentBudget,
  options: OptimizerOptions = {},
): TeacherRanking {
  const context = resolveSolverContext(options);
  const { coefficients, F } = context;
  if (teachers.length === 0) throw new RangeError("list at least one teacher");
  if (!(studentParameters > 0 && Number.isFinite(studentParameters))) throw new RangeError(`student size must be a positive number, got ${studentParameters}`);
  const scored = teachers.map((teacher) => {
    if (!(teacher.parameters > 0 && Number.isFinite(teacher.parameters))) {
      throw new RangeError(`teacher "${teacher.name}": size must be a positive number, got ${teacher.parameters}`);
    }
    let teacherLoss: number;
    let lossSource: RankedTeacher["lossSource"];
    if (teacher.loss !== undefined) {
      if (!(teacher.loss > 0 && Number.isFinite(teacher.loss))) throw new RangeError(`teacher "${teacher.name}": loss must be a positive number, got ${teacher.loss}`);
      teacherLoss = teacher.loss;
      lossSource = "given";
    } else if (teacher.tokens !== undefined) {
      if (!(teacher.tokens > 0 && Number.isFinite(teacher.tokens))) throw new RangeError(`teacher "${teacher.name}": tokens must be a positive number, got ${teacher.tokens}`);
      teacherLoss = supervisedLoss(coefficients.supervised, teacher.parameters, teacher.tokens);
      lossSource = "predicted";
    } else {
      throw new RangeError(`teacher "${teacher.name}": give its loss or the tokens it was trained on`);
    }
    const studentTokens = budget.kind === "tokens"
      ? budget.studentTokens
      : budget.budget / (3 * F(studentParameters) + (budget.payLogits ? F(teacher.parameters) : 0));
    if (!(studentTokens > 0 && Number.isFinite(studentTokens))) throw new RangeError(`the budget must be a positive number, got ${budget.kind === "tokens" ? budget.studentTokens : budget.budget}`);
    const studentLoss = distilledLoss(coefficients, studentParameters, studentTokens, teacherLoss);
    const supervisedStudentLoss = supervisedLoss(coefficients.supervised, studentParameters, studentTokens);
    return { teacher, teacherLoss, lossSource, studentTokens, studentLoss, supervisedStudentLoss };
  });
  scored.sort((a, b) => a.studentLoss - b.studentLoss);
  const best = scored[0];
  const optimum = optimalTeacherLossWith(context, studentParameters, best.studentTokens, {
    ...options,
    teacherLossRange: [coefficients.supervised.E * 1.0001, Math.max(10, ...scored.map((s) => s.teacherLoss * 1.5))],
  });
  const ranked: RankedTeacher[] = scored.map((s, i) => {
    const optimumHere = optimalTeacherLossWith(context, studentParameters, s.studentTokens, {
      ...options,
      teacherLossRange: [coefficients.supervised.E * 1.0001, Math.max(10, s.teacherLoss * 1.5)],
    });
    const relative = (s.teacherLoss - optimumHere.teacherLoss) / optimumHere.teacherLoss;
    return {
      name: s.teacher.name,
      parameters: s.teacher.parameters,
      teacherLoss: s.teacherLoss,
      lossSource: s.lossSource,
      studentTokens: s.studentTokens,
      studentLoss: s.studentLoss,
      supervisedStudentLoss: s.supervisedStudentLoss,
      differenceToSupervised: s.studentLoss - s.supervisedStudentLoss,
      side: Math.abs(relative) < 0.01 ? "near optimal" : relative < 0 ? "too strong" : "too weak",
      rank: i + 1,
    };
  });
  const top = ranked[0];
  const reasons = [
    `Use ${top.name}: the predicted student loss is ${top.studentLoss.toFixed(4)} nats`,
    ranked.length > 1 ? `, ${(ranked[1].studentLoss - top.studentLoss).toFixed(4)} nats better than ${ranked[1].name}` : "",
    `. Its loss ${top.teacherLoss.toFixed(3)} is ${top.side === "near optimal" ? "close to" : top.side === "too strong" ? "below (stronger than)" : "above (weaker than)"} ` +
      `the optimal teacher loss ${optimum.teacherLoss.toFixed(3)} for this student`,
    top.side === "too strong" ? " (the capacity gap: a stronger teacher would make a worse student)" : "",
    top.differenceToSupervised < 0
      ? `; distilling beats supervised training on the same ${formatExponent(top.studentTokens)} tokens by ${(-top.differenceToSupervised).toFixed(4)} nats.`
      : `; but supervised training on the same ${formatExponent(top.studentTokens)} tokens would be ${top.differenceToSupervised.toFixed(4)} nats better.`,
  ];
  return { teachers: ranked, optimalTeacherLoss: optimum.teacherLoss, optimalStudentLoss: optimum.studentLoss, recommendation: reasons.join("") };
}

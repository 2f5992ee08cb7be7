// What the band files the build writes into the fits archive share: progress lines in the
// loader's log, and compact JSON.

/** A progress callback that logs every 25 members and the last. */
export function memberProgress(log: (message: string) => void, what: string): (done: number, total: number) => void {
  let reported = 0;
  return (done, total) => {
    if (done - reported >= 25 || done === total) { reported = done; log(`${what}: ${done} of ${total} members`); }
  };
}

/** JSON with eight significant digits: far below a band's width, and half the file. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(8)) : v));
}

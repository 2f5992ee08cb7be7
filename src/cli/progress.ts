// Progress lines on stderr for long CLI loops (ensembles of many members), so a run of minutes
// shows that it is moving. Short loops stay quiet: their output is the answer alone.

/** Ensembles at least this large report progress. */
export const PROGRESS_MEMBERS = 1000;

/**
 * A `(done, total)` callback that writes `command: label done/total` at each tenth of the loop,
 * or undefined when the loop is shorter than PROGRESS_MEMBERS.
 */
export function tenthsProgress(command: string, label: string, total: number, write = (line: string) => process.stderr.write(line)):
  ((done: number, total: number) => void) | undefined {
  if (total < PROGRESS_MEMBERS) return undefined;
  let lastTenth = 0;
  const started = Date.now();
  return (done, count) => {
    const tenth = Math.floor((10 * done) / count);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    write(`${command}: ${label} ${done}/${count} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  };
}

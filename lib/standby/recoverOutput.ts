// What SQL*Plus prints for `RECOVER AUTOMATIC STANDBY DATABASE` (Oracle Database Error
// Messages 19c: ORA-00279, ORA-00280, ORA-00289, ORA-00278, ORA-00308, ORA-00283), read into
// where recovery stands. A pass ends normally at the first log not shipped yet: ORA-00308 for
// the suggested name, the "Specify log" prompt, then our CANCEL ("Media recovery cancelled.").

export interface NeededLog {
  thread: number;
  sequence: number;
  /** The change recovery needs next: the standby is recovered up to (not including) it. */
  scn: string;
  /** When that change was generated, as printed (MM/DD/YYYY HH24:MI:SS, database time). */
  time: string;
  /** The file name recovery asked for (ORA-00289). */
  suggestion?: string;
}

export interface RecoverOutcome {
  /** Per thread, the last log recovery asked for (the one it stopped at, or is still inside). */
  needed: NeededLog[];
  /** The logs recovery finished with (ORA-00278), in order. */
  finished: string[];
  /** Recovery stopped at a log it could not open (ORA-00308): the normal end of a pass when that log is not shipped yet. */
  missing?: string;
  /** The ORA- lines after ORA-00283 (recovery session canceled due to errors), or another error that ended RECOVER. */
  errors: string[];
  /** "Media recovery complete." (an UNTIL clause reached) */
  complete: boolean;
}

const NEEDED = /^ORA-00279: change (\d+) generated at (\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d) needed for thread (\d+)/;
const SUGGESTION = /^ORA-00289: suggestion : (.+)$/;
const IN_SEQUENCE = /^ORA-00280: change (\d+) for thread (\d+) is in sequence #(\d+)/;
const FINISHED = /^ORA-00278: log file '(.+)' no longer needed for this recovery/;
const CANNOT_OPEN = /^ORA-00308: cannot open archived log '(.+)'/;
/** Lines that belong to the normal progress of a recovery (and the details of ORA-00308). */
const PROGRESS = /^(ORA-00279|ORA-00289|ORA-00280|ORA-00278|ORA-00308|ORA-27037|Linux-x86_64 Error: 2:|Additional information:)/;

export function parseRecoverOutput(text: string): RecoverOutcome {
  const out: RecoverOutcome = { needed: [], finished: [], errors: [], complete: false };
  const byThread = new Map<number, NeededLog>();
  let pending: { scn: string; time: string; thread: number; suggestion?: string } | undefined;
  let failed = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = NEEDED.exec(line))) {
      pending = { scn: m[1]!, time: m[2]!, thread: Number(m[3]) };
    } else if ((m = SUGGESTION.exec(line))) {
      if (pending) pending.suggestion = m[1]!.trim();
    } else if ((m = IN_SEQUENCE.exec(line))) {
      const thread = Number(m[2]);
      const p = pending && pending.thread === thread ? pending : { scn: m[1]!, time: '', thread };
      byThread.set(thread, { thread, sequence: Number(m[3]), scn: p.scn, time: p.time, ...(p.suggestion !== undefined && { suggestion: p.suggestion }) });
      pending = undefined;
    } else if ((m = FINISHED.exec(line))) {
      out.finished.push(m[1]!);
    } else if ((m = CANNOT_OPEN.exec(line)) && !failed) {
      out.missing = m[1]!;
    } else if (line.startsWith('ORA-00283')) {
      failed = true;
      out.missing = undefined;
      out.errors.push(line);
    } else if (/^Media recovery complete\./.test(line)) {
      out.complete = true;
    } else if (/^(ORA-\d{5}|SP2-\d{4})/.test(line) && !/^SP2-0042: unknown command "cancel"/i.test(line)) {
      if (failed || !PROGRESS.test(line)) out.errors.push(line);
    }
  }
  out.needed = [...byThread.values()].sort((a, b) => a.thread - b.thread);
  return out;
}

/** '11/28/2026 13:36:19' (database time, taken as this host's local time) → Date, or undefined. */
export function parseOracleTime(s: string): Date | undefined {
  const m = /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

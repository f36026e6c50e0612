// Offline standby recovery (`sim recover`), like RECOVER AUTOMATIC FROM '<archive dir>' STANDBY
// DATABASE run to the end of the shipped logs: a thin loop over MediaRecovery
// (recover-session.ts), which the standby instance's RECOVER uses too. Prints each log asked
// for (ORA-00279/00289/00280), `Log applied.`, then ORA-00308 for the next, not yet shipped
// log, then whether the files are consistent.
import path from 'node:path';
import { RecoveryError } from './instance/apply.ts';
import { loadStandby, type StandbyFile } from './instance/standby-files.ts';
import { MediaRecovery, needLines, UnnamedFileError } from './recover-session.ts';
import { cannotOpen, laterLogs, type OpenedLog } from './recover-logs.ts';

export interface RecoverOptions {
  controlfile?: string;
  home?: string;
  sid?: string;
  convert?: string | string[];
  /** the FROM directory: logs are looked for there under their LOG_ARCHIVE_FORMAT names */
  archiveDir: string;
}

export interface RecoverResult {
  ok: boolean;
  /** all changes below this SCN are in the recovered files */
  scn: number;
  applied: number[];
  lines: string[];
  invalidated: string[];
  files: StandbyFile[];
}

export function recoverStandby(o: RecoverOptions): RecoverResult {
  const db = loadStandby(o);
  const lines: string[] = [];
  let m: MediaRecovery;
  try {
    m = new MediaRecovery({ db, dir: path.resolve(o.archiveDir) });
  } catch (e) {
    if (e instanceof RecoveryError) return { ok: false, scn: 0, applied: [], lines: [...e.lines], invalidated: [], files: db.files };
    throw e;
  }
  const result = (ok: boolean): RecoverResult => ({ ok, scn: m.reached, applied: m.applied.map((a) => a.sequence), lines, invalidated: [...m.invalidated], files: db.files });
  if (!m.files.length) return lines.push('sim recover: no datafile needs recovery'), result(true);
  try {
    for (;;) {
      let log: OpenedLog | undefined;
      let refused: RecoveryError | undefined;
      try {
        log = m.open();
      } catch (e) {
        if (!(e instanceof RecoveryError)) throw e;
        refused = e;
      }
      lines.push(...needLines(m.suggestion(log)));
      if (refused) throw refused;
      if (!log) break;
      m.apply(log);
      lines.push('Log applied.');
    }
  } catch (e) {
    m.abort();
    if (e instanceof UnnamedFileError) {
      lines.push(`File #${e.rec.file} added to control file as 'UNNAMED${String(e.rec.file).padStart(5, '0')}' because the parameter STANDBY_FILE_MANAGEMENT is set to MANUAL`);
    }
    if (e instanceof RecoveryError) return lines.push(...e.lines), result(false);
    throw e;
  }
  m.finish();
  lines.push(...cannotOpen(m.name()));
  const later = laterLogs(m.id, m.sequence);
  if (later.length) {
    lines.push(`(sim: sequence ${m.sequence} is missing from ${m.id.dir} but sequence${later.length > 1 ? 's' : ''} ${later.join(', ')} ${later.length > 1 ? 'are' : 'is'} there: recovery cannot pass the gap)`);
    return result(false);
  }
  const problem = m.problem();
  if (problem) {
    lines.push('ORA-01547: warning: RECOVER succeeded but OPEN RESETLOGS would get error below', ...problem);
    return result(false);
  }
  lines.push(`Media recovery of ${m.files.length} datafiles stopped at SCN ${m.reached} (next: sequence ${m.sequence}); standby is consistent`);
  return result(true);
}

// Archived logs as RECOVER AUTOMATIC [FROM 'dir'] STANDBY DATABASE uses them: it opens only
// the name it suggests (dir + LOG_ARCHIVE_FORMAT expanded for thread/sequence/resetlogs id),
// checks the header says it is that log of this database and complete, and reads every
// record the header announces. Nothing is found by content; other files are never looked at.
import fs from 'node:fs';
import path from 'node:path';
import { RecoveryError } from './instance/apply.ts';
import { archiveName, archiveNamePattern, decodeLogHeader, readRedo, REDO_BLOCK, type LogHeader, type RedoRead } from './instance/redo-format.ts';

export interface LogIdentity {
  dir: string;
  format: string;
  dbid: number;
  resetlogsId: number;
  thread: number;
}

export interface OpenedLog {
  path: string;
  header: LogHeader;
  redo: RedoRead;
}

export const fmtTime = (ms: number): string => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}/${p(d.getDate())}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/** The name recovery suggests (ORA-00289) for a sequence. */
export function suggestedName(id: LogIdentity, sequence: number): string {
  return path.join(id.dir, archiveName(id.format, id.thread, sequence, id.resetlogsId, id.dbid));
}

export function cannotOpen(file: string, errno = 2, text = 'No such file or directory'): string[] {
  return [`ORA-00308: cannot open archived log '${file}'`, 'ORA-27037: unable to obtain file status', `Linux-x86_64 Error: ${errno}: ${text}`, 'Additional information: 7'];
}

/**
 * Opens the suggested log of `sequence`: undefined when there is no such file (ORA-00308 is
 * the caller's to print: it also ends a normal recovery pass). Throws RecoveryError when the
 * file is not that log or is incomplete. Damage inside the redo is returned in `redo.damage`
 * (records before it are good and are applied first, as Oracle does).
 */
export function openArchivedLog(id: LogIdentity, sequence: number): OpenedLog | undefined {
  return openLogFile(id, sequence, suggestedName(id, sequence));
}

/** The same checks for a log the DBA names (an answer to `Specify log:`, a registered name). */
export function openLogFile(id: LogIdentity, sequence: number, file: string): OpenedLog | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new RecoveryError(cannotOpen(file, 21, 'Is a directory'));
  const buf = fs.readFileSync(file);
  const named = `ORA-00334: archived log: '${file}'`;
  const h = decodeLogHeader(buf);
  if (!h) throw new RecoveryError(['ORA-00367: checksum error in log file header', named]);
  if (h.dbid !== id.dbid) throw new RecoveryError(['ORA-00309: log belongs to wrong database', named]);
  if (h.resetlogsId !== id.resetlogsId) {
    throw new RecoveryError(['ORA-00309: log belongs to wrong database', named, `(sim: the log is of incarnation RESETLOGS_ID ${h.resetlogsId}, the standby of ${id.resetlogsId})`]);
  }
  if (h.thread !== id.thread || h.sequence !== sequence) {
    throw new RecoveryError([`ORA-00310: archived log contains sequence ${h.sequence}; sequence ${sequence} required`, named]);
  }
  if (h.nextChange === 0) throw new RecoveryError(['ORA-00332: archived log is too small - may be incompletely archived', named]);
  const redo = readRedo(buf, REDO_BLOCK, REDO_BLOCK + (h.redoBytes ?? 0));
  if (!redo.damage && redo.records.length !== h.records) redo.damage = { offset: redo.end, why: 'short' };
  if (!redo.damage && buf.length < (h.blocks + 1) * REDO_BLOCK) redo.damage = { offset: buf.length, why: 'short' };
  return { path: file, header: h, redo };
}

/** Oracle's stack for damaged redo: recovery stops near the block where the good redo ends. */
export function corruptionLines(log: OpenedLog, lastScn: number): string[] {
  const d = log.redo.damage!;
  return [
    'ORA-00283: recovery session canceled due to errors',
    d.why === 'checksum' ? 'ORA-00368: checksum error in redo log block' : 'ORA-00354: corrupt redo log block header',
    `ORA-00353: log corruption near block ${Math.floor(d.offset / REDO_BLOCK)} change ${lastScn} time ${fmtTime(log.header.firstTime)}`,
    `ORA-00334: archived log: '${log.path}'`,
  ];
}

/** Sequences above `sequence` present under their suggested names in the directory (a later log behind a gap). */
export function laterLogs(id: LogIdentity, sequence: number): number[] {
  const re = archiveNamePattern(id.format, id.thread, id.resetlogsId, id.dbid);
  let names: string[];
  try {
    names = fs.readdirSync(id.dir);
  } catch {
    return [];
  }
  return names.map((n) => Number(re.exec(n)?.[1] ?? NaN)).filter((s) => s > sequence).sort((a, b) => a - b);
}

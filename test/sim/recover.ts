// Standby recovery, like RECOVER AUTOMATIC FROM '<archive dir>' STANDBY DATABASE: each
// datafile copy starts at its header checkpoint SCN; recovery asks for the log sequence its
// headers' checkpoint names and opens that log under its suggested name only (archive dir +
// LOG_ARCHIVE_FORMAT), then the next sequence, until a name is missing (ORA-00308, the normal
// end of a pass). A backup-fuzzy copy is consistent only once the END BACKUP marker of its own
// backup window is applied; in strict mode (the default) an online-fuzzy copy (taken open,
// outside backup mode) never is.
import fs from 'node:fs';
import path from 'node:path';
import { type ApplyContext, BlockStore, RecoveryError, applyBlockRecord } from './instance/apply.ts';
import { encodeHeader, type FileHeader } from './instance/block.ts';
import { RecType } from './instance/redo-format.ts';
import { loadStandby, type StandbyDb, type StandbyFile } from './instance/standby-files.ts';
import { checkDatafiles, f1110 } from './recover-files.ts';
import { cannotOpen, corruptionLines, fmtTime, laterLogs, type LogIdentity, openArchivedLog, type OpenedLog, suggestedName } from './recover-logs.ts';

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

/** What recovery knows of one file being recovered. */
interface FileState {
  header: FileHeader;
  start: number;
  backupFuzzy: boolean;
  onlineFuzzy: boolean;
}

/** The sequence to ask for first: the one the lowest header checkpoint names, past logs known to end below it. */
function firstSequence(db: StandbyDb, id: LogIdentity, low: number, hint: number): number {
  let seq = hint || (db.history.find((h) => h.firstChange <= low && low < h.nextChange)?.sequence ?? (db.history.at(-1)?.sequence ?? 0) + 1);
  for (;;) {
    // the header names the log that was current at its checkpoint; a log switch right after
    // it puts the checkpoint SCN at the start of the next log, and the earlier one is not needed
    const known = db.history.find((h) => h.sequence === seq);
    if (known && known.nextChange <= low) {
      seq++;
      continue;
    }
    if (!fs.existsSync(suggestedName(id, seq))) {
      let next: OpenedLog | undefined;
      try {
        next = openArchivedLog(id, seq + 1);
      } catch {
        next = undefined;
      }
      if (next && next.header.firstChange <= low) {
        seq++;
        continue;
      }
    }
    return seq;
  }
}

export function recoverStandby(o: RecoverOptions): RecoverResult {
  const db = loadStandby(o);
  const lines: string[] = [];
  const applied: number[] = [];
  const invalidated = new Set<string>();
  const result = (ok: boolean, scn: number): RecoverResult => ({ ok, scn, applied, lines, invalidated: [...invalidated], files: db.files });
  let headers: Map<number, FileHeader>;
  try {
    headers = checkDatafiles(db);
  } catch (e) {
    if (e instanceof RecoveryError) return lines.push(...e.lines), result(false, 0);
    throw e;
  }
  const rec = db.files.filter((f) => f.recover);
  if (!rec.length) return lines.push('sim recover: no datafile needs recovery'), result(true, 0);
  const byFile = new Map(db.files.map((f) => [f.file, f]));
  const state = new Map<number, FileState>(rec.map((f) => {
    const h = headers.get(f.file)!;
    return [f.file, { header: h, start: h.checkpointScn, backupFuzzy: h.fuzzy, onlineFuzzy: h.onlineFuzzy === true }];
  }));
  const low = Math.min(...[...state.values()].map((s) => s.start));
  const hint = Math.min(...[...state.values()].filter((s) => s.start === low).map((s) => s.header.checkpointSeq || Infinity));
  const id: LogIdentity = { dir: path.resolve(o.archiveDir), format: db.logArchiveFormat, dbid: db.dbid, resetlogsId: db.resetlogsId, thread: 1 };
  const needLines = (scn: number, seq: number, at: number) => [
    `ORA-00279: change ${scn} generated at ${fmtTime(at)} needed for thread 1`,
    `ORA-00289: suggestion : ${suggestedName(id, seq)}`,
    `ORA-00280: change ${scn} for thread 1 is in sequence #${seq}`,
  ];
  let seq = firstSequence(db, id, low, Number.isFinite(hint) ? hint : 0);
  let reached = low;
  const store = new BlockStore((f) => byFile.get(f)!.path);
  const ctx: ApplyContext = { store, fileName: (f) => byFile.get(f)!.path, tablespace: (f) => byFile.get(f)!.tablespace, invalidated };
  try {
    for (;; seq++) {
      let log: OpenedLog | undefined;
      let refused: RecoveryError | undefined;
      try {
        log = openArchivedLog(id, seq);
      } catch (e) {
        if (!(e instanceof RecoveryError)) throw e;
        refused = e;
      }
      lines.push(...needLines(log ? Math.max(reached, log.header.firstChange) : reached, seq, log?.header.firstTime ?? Date.now()));
      if (refused) throw refused;
      if (!log) break;
      let lastScn = log.header.firstChange;
      for (const r of log.redo.records) {
        lastScn = r.scn;
        if (r.type === RecType.FileCreate) {
          if (!byFile.has(r.file)) {
            lines.push(`File #${r.file} added to control file as 'UNNAMED${String(r.file).padStart(5, '0')}' because the parameter STANDBY_FILE_MANAGEMENT is set to MANUAL`);
            throw new RecoveryError(['ORA-00283: recovery session canceled due to errors', `ORA-01274: cannot add data file that was originally created as '${r.name}'`]);
          }
          continue;
        }
        const st = state.get(r.file);
        if (!st || r.scn < st.start) continue;
        if (r.type === RecType.EndBackup) {
          // the marker ends the backup window that began at beginScn: it makes consistent only a copy frozen at that window's start
          if (st.backupFuzzy && r.beginScn === st.header.backupScn) st.backupFuzzy = st.onlineFuzzy = false;
        } else applyBlockRecord(r, ctx);
      }
      if (log.redo.damage) throw new RecoveryError(corruptionLines(log, lastScn));
      lines.push('Log applied.');
      applied.push(seq);
      reached = Math.max(reached, log.header.nextChange);
    }
  } catch (e) {
    store.flush();
    store.close();
    if (e instanceof RecoveryError) return lines.push(...e.lines), result(false, reached);
    throw e;
  }
  store.flush();
  // headers: checkpoint advances to the SCN reached; fuzziness stays until cleared by the file's own END BACKUP marker
  const now = Date.now();
  for (const f of rec) {
    const st = state.get(f.file)!;
    const h = st.header;
    const checkpointScn = Math.max(h.checkpointScn, reached);
    fs.writeSync(store.fd(f.file), encodeHeader({
      ...h, checkpointScn, checkpointTime: now, checkpointSeq: checkpointScn > h.checkpointScn ? seq : h.checkpointSeq,
      fuzzy: st.backupFuzzy, backupScn: st.backupFuzzy ? h.backupScn : 0, onlineFuzzy: st.onlineFuzzy && (db.strict || st.backupFuzzy),
    }), 0, 8192, 8192);
  }
  store.close();
  lines.push(...cannotOpen(suggestedName(id, seq)));
  const later = laterLogs(id, seq);
  if (later.length) {
    lines.push(`(sim: sequence ${seq} is missing from ${id.dir} but sequence${later.length > 1 ? 's' : ''} ${later.join(', ')} ${later.length > 1 ? 'are' : 'is'} there: recovery cannot pass the gap)`);
    return result(false, reached);
  }
  const problem = problemOf(rec, state, db.strict, reached);
  if (problem) {
    lines.push('ORA-01547: warning: RECOVER succeeded but OPEN RESETLOGS would get error below', ...problem);
    return result(false, reached);
  }
  lines.push(`Media recovery of ${rec.length} datafiles stopped at SCN ${reached} (next: sequence ${seq}); standby is consistent`);
  return result(true, reached);
}

/** Why the recovered files would not open: a copy still backup fuzzy, (strict) online fuzzy, or ahead of the redo applied. */
function problemOf(rec: StandbyFile[], state: Map<number, FileState>, strict: boolean, reached: number): string[] | undefined {
  const backup = rec.find((f) => state.get(f.file)!.backupFuzzy);
  if (backup) return [`ORA-01195: online backup of file ${backup.file} needs more recovery to be consistent`, f1110(backup)];
  const online = strict ? rec.find((f) => state.get(f.file)!.onlineFuzzy) : undefined;
  if (online) {
    return [
      `ORA-01194: file ${online.file} needs more recovery to be consistent`,
      f1110(online),
      `(sim strict: file ${online.file} was copied while the database was open and the file was not in backup mode (header online fuzzy at checkpoint SCN ${state.get(online.file)!.start}); no END BACKUP marker can make this copy consistent: copy it again between BEGIN BACKUP and END BACKUP)`,
    ];
  }
  const ahead = rec.find((f) => state.get(f.file)!.start > reached);
  if (ahead) return [`ORA-01194: file ${ahead.file} needs more recovery to be consistent`, f1110(ahead)];
  return undefined;
}

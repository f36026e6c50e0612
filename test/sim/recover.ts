// Standby recovery, like RECOVER AUTOMATIC STANDBY DATABASE: each datafile copy starts at
// its header checkpoint SCN; archived logs found BY CONTENT in the DR directory are applied
// in sequence order from the one holding the lowest needed SCN.
import fs from 'node:fs';
import path from 'node:path';
import { type ApplyContext, BlockStore, RecoveryError, applyBlockRecord } from './instance/apply.ts';
import { decodeHeader, encodeHeader, type FileHeader } from './instance/block.ts';
import { readBlock } from './instance/datafile.ts';
import { archiveName, decodeLogHeader, decodeRecords, RecType, REDO_BLOCK, type LogHeader } from './instance/redo-format.ts';
import { guardNotProduction, loadStandby, type StandbyDb, type StandbyFile } from './instance/standby-files.ts';

export interface RecoverOptions {
  controlfile?: string;
  home?: string;
  sid?: string;
  convert?: string | string[];
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

interface FoundLog extends LogHeader {
  path: string;
}

const fmtTime = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}/${p(d.getDate())}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/** Archived logs of this database in dir (and one level of subdirectories), identified by their header. */
export function findLogs(dir: string, db: { dbid: number; resetlogsId: number }): Map<number, FoundLog> {
  const out = new Map<number, FoundLog>();
  const visit = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 1) visit(p, depth + 1);
      if (!e.isFile()) continue;
      const fd = fs.openSync(p, 'r');
      const buf = Buffer.alloc(REDO_BLOCK);
      fs.readSync(fd, buf, 0, REDO_BLOCK, 0);
      fs.closeSync(fd);
      const h = decodeLogHeader(buf);
      if (h && h.dbid === db.dbid && h.resetlogsId === db.resetlogsId && h.nextChange > 0 && !out.has(h.sequence)) out.set(h.sequence, { ...h, path: p });
    }
  };
  visit(dir, 0);
  return out;
}

function f1110(f: StandbyFile): string {
  return `ORA-01110: data file ${f.file}: '${f.path}'`;
}

function readHeaders(db: StandbyDb): Map<number, FileHeader> {
  const headers = new Map<number, FileHeader>();
  for (const f of db.files) {
    guardNotProduction(f);
    if (!fs.existsSync(f.path)) throw new RecoveryError([`ORA-01157: cannot identify/lock data file ${f.file} - see DBWR trace file`, f1110(f)]);
    const fd = fs.openSync(f.path, 'r');
    const h = decodeHeader(readBlock(fd, 1));
    fs.closeSync(fd);
    if (!h) throw new RecoveryError([`ORA-01122: database file ${f.file} failed verification check`, f1110(f), `ORA-01210: data file header is media corrupt`]);
    if (h.dbid !== db.dbid) throw new RecoveryError([`ORA-01122: database file ${f.file} failed verification check`, f1110(f), 'ORA-01206: file is not part of this database - wrong database id']);
    if (h.file !== f.file) throw new RecoveryError([`ORA-01122: database file ${f.file} failed verification check`, f1110(f), `ORA-01209: data file is from before the last RESETLOGS (sim: header carries file# ${h.file})`]);
    headers.set(f.file, h);
  }
  return headers;
}

export function recoverStandby(o: RecoverOptions): RecoverResult {
  const db = loadStandby(o);
  const lines: string[] = [];
  const applied: number[] = [];
  const invalidated = new Set<string>();
  const result = (ok: boolean, scn: number): RecoverResult => ({ ok, scn, applied, lines, invalidated: [...invalidated], files: db.files });
  let headers: Map<number, FileHeader>;
  try {
    headers = readHeaders(db);
  } catch (e) {
    if (e instanceof RecoveryError) return lines.push(...e.lines), result(false, 0);
    throw e;
  }
  const rec = db.files.filter((f) => f.recover);
  const byFile = new Map(db.files.map((f) => [f.file, f]));
  const start = new Map(rec.map((f) => [f.file, headers.get(f.file)!.checkpointScn]));
  const fuzzy = new Set(rec.filter((f) => headers.get(f.file)!.fuzzy).map((f) => f.file));
  const logs = findLogs(o.archiveDir, db);
  if (!rec.length) return lines.push('sim recover: no datafile needs recovery'), result(true, 0);
  const low = Math.min(...start.values());
  const suggest = (seq: number) => path.join(o.archiveDir, archiveName(db.logArchiveFormat, 1, seq, db.resetlogsId, db.dbid));
  const needLines = (scn: number, seq: number, at: number) => [
    `ORA-00279: change ${scn} generated at ${fmtTime(at)} needed for thread 1`,
    `ORA-00289: suggestion : ${suggest(seq)}`,
    `ORA-00280: change ${scn} for thread 1 is in sequence #${seq}`,
  ];
  const missing = (seq: number) => [`ORA-00308: cannot open archived log '${suggest(seq)}'`, 'ORA-27037: unable to obtain file status', 'Linux-x86_64 Error: 2: No such file or directory', 'Additional information: 7'];
  const sorted = [...logs.values()].sort((a, b) => a.sequence - b.sequence);
  let seq: number | undefined = sorted.find((l) => l.firstChange <= low && low < l.nextChange)?.sequence;
  let reached = low;
  if (seq === undefined) {
    // No shipped log holds the lowest needed change. Oracle asks for the log its controlfile
    // history says holds it (or the one before the first later log) and fails to open it;
    // this holds too when nothing at all was shipped.
    const later = sorted.filter((l) => l.nextChange > low);
    const known = db.history.find((h) => h.firstChange <= low && low < h.nextChange);
    if (later.length || known) {
      const need = known?.sequence ?? later[0]!.sequence - 1;
      lines.push(...needLines(low, need, Date.now()), ...missing(need));
      return result(false, low);
    }
    seq = (sorted.at(-1)?.sequence ?? 0) + 1;
  }
  const store = new BlockStore((f) => byFile.get(f)!.path);
  const ctx: ApplyContext = { store, fileName: (f) => byFile.get(f)!.path, tablespace: (f) => byFile.get(f)!.tablespace, invalidated };
  try {
    for (let log = logs.get(seq); log; log = logs.get(++seq)) {
      lines.push(...needLines(Math.max(reached, log.firstChange), log.sequence, log.firstTime), 'Log applied.');
      const buf = fs.readFileSync(log.path);
      for (const r of decodeRecords(buf)) {
        if (r.type === RecType.FileCreate) {
          if (!byFile.has(r.file)) {
            lines.push(`File #${r.file} added to control file as 'UNNAMED${String(r.file).padStart(5, '0')}' because the parameter STANDBY_FILE_MANAGEMENT is set to MANUAL`);
            throw new RecoveryError(['ORA-00283: recovery session canceled due to errors', `ORA-01274: cannot add data file that was originally created as '${r.name}'`]);
          }
          continue;
        }
        const from = start.get(r.file);
        if (from === undefined || r.scn < from) continue;
        if (r.type === RecType.EndBackup) fuzzy.delete(r.file);
        else applyBlockRecord(r, ctx);
      }
      applied.push(log.sequence);
      reached = Math.max(reached, log.nextChange);
    }
  } catch (e) {
    store.flush();
    store.close();
    if (e instanceof RecoveryError) return lines.push(...e.lines), result(false, reached);
    throw e;
  }
  store.flush();
  // headers: checkpoint advances to the SCN reached; backup fuzziness clears at the END BACKUP marker
  for (const f of rec) {
    const h = headers.get(f.file)!;
    const fd = store.fd(f.file);
    fs.writeSync(fd, encodeHeader({ ...h, checkpointScn: Math.max(h.checkpointScn, reached), checkpointTime: Date.now(), fuzzy: fuzzy.has(f.file) }), 0, 8192, 8192);
  }
  store.close();
  const gap = sorted.find((l) => l.sequence > seq!);
  if (gap) {
    lines.push(...needLines(reached, seq, Date.now()), ...missing(seq));
    return result(false, reached);
  }
  const ahead = rec.find((f) => start.get(f.file)! > reached);
  if (fuzzy.size || ahead) {
    const f = byFile.get(fuzzy.size ? [...fuzzy][0]! : ahead!.file)!;
    lines.push(
      'ORA-01547: warning: RECOVER succeeded but OPEN RESETLOGS would get error below',
      fuzzy.size ? `ORA-01195: online backup of file ${f.file} needs more recovery to be consistent` : `ORA-01194: file ${f.file} needs more recovery to be consistent`,
      f1110(f),
    );
    return result(false, reached);
  }
  lines.push(...needLines(reached, seq, Date.now()));
  lines.push(`Media recovery of ${rec.length} datafiles stopped at SCN ${reached} (next: sequence ${seq}); standby is consistent`);
  return result(true, reached);
}

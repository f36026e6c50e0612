// Plan, then apply: which tablespaces to copy, in which order, inside which backup window,
// and how their files are grouped into rsync batches. Pure: no processes, no clock.
// The window chosen here is what the database looked like when the plan was made; it is
// decided again right before each copy (windows.ts).
import { DrError, ExitCode, PreconditionError } from '../errors.ts';
import { matchesAny } from '../match.ts';
import path from 'node:path';
import { normalizePath, planMapping, type PathRule } from '../pathmap.ts';

export interface DatafileRow {
  tablespace: string;
  contents: string; // PERMANENT | UNDO | TEMPORARY
  tsStatus: string; // ONLINE | OFFLINE | READ ONLY
  fileId: number;
  path: string;
  bytes: number;
}

export interface BackupFileStatus {
  fileId: number;
  active: boolean; // V$BACKUP.STATUS = 'ACTIVE'
  changeScn: bigint; // V$BACKUP.CHANGE#
}

/** What a `ts_<SID>.<TS>.done` marker certifies. */
export interface DoneMarker {
  tablespace: string;
  /** ORACLE_SID and DBID of the database copied (absent in markers written before they were keyed). */
  sid?: string;
  dbid?: string;
  cutoffScn: string;
  /** windowScn: V$BACKUP.CHANGE# of the window the copy was read in (absent for read-only/offline files). */
  files: { fileId: number; source: string; dest: string; bytes: number; windowScn?: string }[];
  completedAt: string;
}

export interface FilePlan {
  fileId: number;
  tablespace: string;
  source: string;
  dest: string;
  bytes: number;
  rule: PathRule | null;
}

export type WindowMode =
  | 'begin' // BEGIN BACKUP before the first copy, END BACKUP after the last
  | 'resume' // already in backup mode since after the cutoff (a killed run): copy inside that window, END after
  | 'restart' // in backup mode from before the cutoff, or only some files: END BACKUP first, then as 'begin'
  | 'none'; // read-only or offline: copied without backup mode (ORA-01642 / ORA-01128 otherwise)

export interface TablespacePlan {
  name: string;
  core: boolean;
  window: WindowMode;
  files: FilePlan[];
  bytes: number;
  /** Files already certified by a valid marker (kept in the new marker). */
  keptFiles: DoneMarker['files'];
}

export interface Batch {
  id: number;
  srcRoot: string;
  destRoot: string;
  files: FilePlan[];
  tablespaces: string[];
  bytes: number;
}

export interface BackupPlan {
  tablespaces: TablespacePlan[];
  skipped: { name: string; reason: string }[];
  batches: Batch[];
  totalBytes: number;
  /** Tablespaces we own no work for whose files are in a backup window this tool opened: END BACKUP them. */
  strayBackupMode: string[];
  /** Tablespaces to copy whose files are in a backup window someone else opened: the run must not start. */
  foreignWindows: ForeignWindow[];
}

export interface ForeignWindow {
  tablespace: string;
  files: { fileId: number; path: string; sinceScn: bigint }[];
}

export interface PlanInput {
  datafiles: DatafileRow[];
  /** Every tablespace with its CONTENTS, to report temporary ones as skipped. */
  tablespaces: { name: string; contents: string }[];
  backup: BackupFileStatus[];
  done: Map<string, DoneMarker>;
  cutoffScn: bigint;
  pathMap: PathRule[];
  unmappedPaths: 'error' | 'same_path';
  excludeTablespaces: string[];
  coreTablespaces: string[];
  batchMaxFiles: number;
  batchMaxBytes: number;
  /** Workers that will copy: batches are sized so that each gets work. */
  parallel: number;
  /** Tablespaces this tool put in backup mode in a run that did not finish (the in-flight file). */
  inflight: string[];
  /** DBID of the database: a marker written for another database is not trusted. */
  dbid?: string;
}

/**
 * Datafiles hot_backup_ts cannot read: ASM (+DATA/...) or otherwise not a filesystem path.
 * Refused before anything starts, naming every one.
 */
function refuseUnreadable(rows: DatafileRow[]): void {
  const odd = rows.filter((r) => !path.posix.isAbsolute(r.path));
  if (!odd.length) return;
  const asm = odd.filter((r) => r.path.startsWith('+'));
  const list = odd.map((r) => `  ${r.path} (tablespace ${r.tablespace})`).join('\n');
  if (asm.length === odd.length) {
    throw new PreconditionError(
      `${odd.length} datafile(s) are in ASM, which hot_backup_ts cannot copy (it copies from filesystems only):\n${list}`,
      'build this standby with RMAN (DUPLICATE ... FOR STANDBY, or BACKUP AS COPY then RESTORE on the DR host), or exclude these tablespaces (backup.exclude_tablespaces)',
    );
  }
  throw new PreconditionError(`${odd.length} datafile name(s) are not absolute filesystem paths, so hot_backup_ts cannot copy them:\n${list}`, 'check DBA_DATA_FILES; exclude these tablespaces (backup.exclude_tablespaces) or move the files');
}

/** The error for windows someone else opened; `inflightFile` is where this tool records its own. */
export function foreignWindowError(windows: ForeignWindow[], inflightFile: string): PreconditionError {
  const names = [...windows].sort((a, b) => (a.tablespace < b.tablespace ? -1 : 1));
  const how = names.length === 1 ? `ALTER TABLESPACE "${names[0].tablespace}" END BACKUP` : 'ALTER TABLESPACE ... END BACKUP for each';
  return new PreconditionError(
    `backup mode was begun by someone else (ALTER TABLESPACE/DATABASE BEGIN BACKUP, a storage snapshot script?) for ${names.length} tablespace(s) this run must copy:\n` +
      names.map((w) => `  ${w.tablespace}: ${w.files.map((f) => `file ${f.fileId} ${f.path} (ACTIVE since SCN ${f.sinceScn})`).join(', ')}`).join('\n'),
    `this tool only resumes or ends backup windows it recorded in ${inflightFile}; let whoever began it end it (${how}, or ALTER DATABASE END BACKUP) or wait until it is ended, then re-run hot_backup_ts`,
  );
}

export function planBackup(input: PlanInput): BackupPlan {
  const skipped: BackupPlan['skipped'] = [];
  const byTs = new Map<string, DatafileRow[]>();
  for (const row of input.datafiles) {
    const list = byTs.get(row.tablespace) ?? [];
    list.push(row);
    byTs.set(row.tablespace, list);
  }
  for (const ts of input.tablespaces) {
    if (ts.contents === 'TEMPORARY') skipped.push({ name: ts.name, reason: 'temporary tablespace (tempfiles are not backed up)' });
  }

  const copied = input.datafiles.filter((d) => !matchesAny(d.tablespace, input.excludeTablespaces));
  refuseUnreadable(copied);
  const mapping = planMapping(
    copied.map((d) => d.path),
    input.pathMap,
    input.unmappedPaths,
  );
  if (mapping.collisions.length) {
    throw new DrError(
      `path_map sends several datafiles to the same DR path:\n` +
        mapping.collisions.map((c) => `  ${c.dest} <- ${c.sources.join(', ')}`).join('\n'),
      { hint: 'fix path_map so that every datafile has its own destination', exitCode: ExitCode.CONFIG },
    );
  }
  if (mapping.unmapped.length) {
    throw new DrError(
      `${mapping.unmapped.length} datafile path${mapping.unmapped.length === 1 ? ' has' : 's have'} no path_map rule:\n` +
        mapping.unmapped.map((p) => `  ${p}`).join('\n'),
      {
        hint: 'add a path_map entry whose "from" is a prefix of these paths, or set unmapped_paths: same_path to copy them to the same path on DR',
        exitCode: ExitCode.CONFIG,
      },
    );
  }
  const destOf = new Map(mapping.files.map((f) => [f.source, f]));
  const status = new Map(input.backup.map((b) => [b.fileId, b]));

  const plans: TablespacePlan[] = [];
  const strayBackupMode: string[] = [];
  const foreignWindows: ForeignWindow[] = [];
  for (const [name, rows] of byTs) {
    const active = rows.filter((r) => status.get(r.fileId)?.active);
    const ours = input.inflight.includes(name);
    if (matchesAny(name, input.excludeTablespaces)) {
      skipped.push({ name, reason: 'excluded by backup.exclude_tablespaces' });
      if (active.length && ours) strayBackupMode.push(name);
      continue;
    }
    const marker = input.done.get(name);
    const certified = new Map<number, DoneMarker['files'][number]>();
    const sameDb = !input.dbid || !marker?.dbid || marker.dbid === input.dbid;
    if (marker && sameDb && marker.cutoffScn === input.cutoffScn.toString()) {
      for (const f of marker.files) {
        const row = rows.find((r) => r.fileId === f.fileId);
        if (row && row.path === f.source && destOf.get(f.source)?.dest === f.dest) certified.set(f.fileId, f);
      }
    }
    const todo = rows.filter((r) => !certified.has(r.fileId));
    if (todo.length === 0) {
      skipped.push({ name, reason: 'already done in this backup cycle' });
      if (active.length && ours) strayBackupMode.push(name); // someone else's window is none of our business
      continue;
    }
    if (active.length && !ours) {
      foreignWindows.push({ tablespace: name, files: active.map((r) => ({ fileId: r.fileId, path: r.path, sinceScn: status.get(r.fileId)!.changeScn })) });
      continue;
    }
    let window: WindowMode;
    if (rows[0].tsStatus === 'READ ONLY' || rows[0].tsStatus === 'OFFLINE') window = 'none';
    else if (active.length === 0) window = 'begin';
    else if (active.length === rows.length && active.every((r) => status.get(r.fileId)!.changeScn >= input.cutoffScn)) window = 'resume';
    else window = 'restart';
    const files = todo
      .map((r) => {
        const m = destOf.get(r.path)!;
        return { fileId: r.fileId, tablespace: name, source: r.path, dest: m.dest, bytes: r.bytes, rule: m.rule };
      })
      .sort((a, b) => b.bytes - a.bytes || a.fileId - b.fileId);
    plans.push({
      name,
      core: matchesAny(name, input.coreTablespaces),
      window,
      files,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      keptFiles: [...certified.values()],
    });
  }
  // Non-core first, core (SYSTEM, SYSAUX, UNDO) last; largest first inside each group so the
  // long copies start early and the small ones fill the workers at the end.
  plans.sort((a, b) => Number(a.core) - Number(b.core) || b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  // Spread the bytes over the workers: with batches capped at total/parallel, every worker
  // gets a stream even when all files would fit in one batch of batch_max_bytes.
  const totalBytes = plans.reduce((s, p) => s + p.bytes, 0);
  const perWorker = Math.max(1, Math.ceil(totalBytes / Math.max(1, input.parallel)));
  const batches = makeBatches(plans, input.batchMaxFiles, Math.min(input.batchMaxBytes, perWorker));
  return { tablespaces: plans, skipped, batches, totalBytes, strayBackupMode, foreignWindows };
}

function roots(rule: PathRule | null): { srcRoot: string; destRoot: string } {
  return rule ? { srcRoot: normalizePath(rule.from), destRoot: normalizePath(rule.to) } : { srcRoot: '/', destRoot: '/' };
}

/** Path of `source` relative to its batch's source root, as rsync --files-from wants it. */
export function relativeToRoot(source: string, srcRoot: string): string {
  return path.posix.relative(normalizePath(srcRoot), normalizePath(source));
}

/**
 * Groups files into rsync batches: a file of batchMaxBytes or more travels alone; smaller
 * files share a batch (same mapping rule) up to batchMaxFiles / batchMaxBytes. Batches keep
 * the tablespace order, so a worker that finishes early takes the next tablespace's work.
 */
export function makeBatches(plans: TablespacePlan[], maxFiles: number, maxBytes: number): Batch[] {
  const batches: Batch[] = [];
  const open = new Map<string, Batch>();
  const add = (b: Batch, f: FilePlan) => {
    b.files.push(f);
    b.bytes += f.bytes;
    if (!b.tablespaces.includes(f.tablespace)) b.tablespaces.push(f.tablespace);
  };
  for (const p of plans) {
    for (const f of p.files) {
      const r = roots(f.rule);
      const key = `${r.srcRoot}\u0000${r.destRoot}`;
      if (f.bytes >= maxBytes) {
        const b: Batch = { id: batches.length + 1, ...r, files: [], tablespaces: [], bytes: 0 };
        add(b, f);
        batches.push(b);
        continue;
      }
      let b = open.get(key);
      if (!b || b.files.length >= maxFiles || b.bytes + f.bytes > maxBytes) {
        b = { id: batches.length + 1, ...r, files: [], tablespaces: [], bytes: 0 };
        open.set(key, b);
        batches.push(b);
      }
      add(b, f);
    }
  }
  return batches;
}

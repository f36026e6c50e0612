// Plan, then apply: which tablespaces to copy, in which order, inside which backup window,
// and how their files are grouped into rsync batches. Pure: no processes, no clock.
// The window chosen here is what the database looked like when the plan was made; it is
// decided again right before each copy (windows.ts).
import { DrError, ExitCode, PreconditionError } from '../errors.ts';
import { matchesAny } from '../match.ts';
import path from 'node:path';
import { normalizePath, planMapping, type PathRule } from '../pathmap.ts';
import { closedBeforeCutoffError, closedWindowsError, noWindowReason, recoveredFromCheckpoint, rowKey } from './containers.ts';

export type { BackupFileStatus, BackupPlan, Batch, DatafileRow, DoneMarker, FilePlan, ForeignWindow, PlanInput, TablespacePlan, WindowMode } from './types.ts';
import type { BackupPlan, Batch, DatafileRow, DoneMarker, FilePlan, ForeignWindow, PlanInput, TablespacePlan, WindowMode } from './types.ts';

/**
 * Datafiles hot_backup_ts cannot read: ASM (+DATA/...) or otherwise not a filesystem path.
 * Refused before anything starts, naming every one.
 */
function refuseUnreadable(rows: DatafileRow[]): void {
  const odd = rows.filter((r) => !path.posix.isAbsolute(r.path));
  if (!odd.length) return;
  const asm = odd.filter((r) => r.path.startsWith('+'));
  const list = odd.map((r) => `  ${r.path} (tablespace ${rowKey(r)})`).join('\n');
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
  const one = names[0].ref;
  const how =
    names.length > 1
      ? `ALTER TABLESPACE ... END BACKUP for each${one ? ', inside its container' : ''}`
      : one
        ? `ALTER SESSION SET CONTAINER = "${one.container}"; ALTER TABLESPACE "${one.tablespace}" END BACKUP`
        : `ALTER TABLESPACE "${names[0].tablespace}" END BACKUP`;
  return new PreconditionError(
    `backup mode was begun by someone else (ALTER TABLESPACE/DATABASE BEGIN BACKUP, a storage snapshot script?) for ${names.length} tablespace(s) this run must copy:\n` +
      names.map((w) => `  ${w.tablespace}: ${w.files.map((f) => `file ${f.fileId} ${f.path} (ACTIVE since SCN ${f.sinceScn})`).join(', ')}`).join('\n'),
    `this tool only resumes or ends backup windows it recorded in ${inflightFile}; let whoever began it end it (${how}, or ALTER DATABASE END BACKUP) or wait until it is ended, then re-run hot_backup_ts`,
  );
}

export function planBackup(input: PlanInput): BackupPlan {
  const skipped: BackupPlan['skipped'] = [];
  // Keyed by container and tablespace: every PDB has its own SYSTEM, SYSAUX, USERS...
  const byTs = new Map<string, DatafileRow[]>();
  for (const row of input.datafiles) {
    const list = byTs.get(rowKey(row)) ?? [];
    list.push(row);
    byTs.set(rowKey(row), list);
  }
  const excluded = (r: DatafileRow) => matchesAny(r.tablespace, input.excludeTablespaces) || (r.container !== undefined && matchesAny(rowKey(r), input.excludeTablespaces));
  for (const ts of input.tablespaces) {
    if (ts.contents === 'TEMPORARY') skipped.push({ name: ts.name, reason: 'temporary tablespace (tempfiles are not backed up)' });
  }

  const copied = input.datafiles.filter((d) => !excluded(d));
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
  const stuck = closedWindowsError(input.datafiles, input.backup);
  if (stuck) throw stuck;
  const destOf = new Map(mapping.files.map((f) => [f.source, f]));
  const status = new Map(input.backup.map((b) => [b.fileId, b]));

  const plans: TablespacePlan[] = [];
  const strayBackupMode: string[] = [];
  const foreignWindows: ForeignWindow[] = [];
  const closedTodo: DatafileRow[] = [];
  for (const [name, rows] of byTs) {
    const active = rows.filter((r) => status.get(r.fileId)?.active);
    const ours = input.inflight.includes(name);
    if (excluded(rows[0])) {
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
      const r0 = rows[0];
      foreignWindows.push({ tablespace: name, ...(r0.container !== undefined ? { ref: { container: r0.container, tablespace: r0.tablespace } } : {}), files: active.map((r) => ({ fileId: r.fileId, path: r.path, sinceScn: status.get(r.fileId)!.changeScn })) });
      continue;
    }
    const { container, tablespace, containerMode } = rows[0];
    const noWindow = container !== undefined && containerMode !== undefined ? noWindowReason(container, containerMode) : undefined;
    closedTodo.push(...todo.filter(recoveredFromCheckpoint));
    let window: WindowMode;
    if (noWindow !== undefined || rows[0].tsStatus === 'READ ONLY' || rows[0].tsStatus === 'OFFLINE') window = 'none';
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
      ...(container !== undefined ? { container, tablespace, ...(noWindow ? { noWindowReason: noWindow } : {}) } : {}),
      core: matchesAny(tablespace, input.coreTablespaces),
      window,
      files,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      keptFiles: [...certified.values()],
    });
  }
  const closed = closedBeforeCutoffError(closedTodo, input.cutoffScn);
  if (closed) throw closed;
  // Non-core first, core (SYSTEM, SYSAUX, UNDO) of every container last; largest first inside each group so the
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

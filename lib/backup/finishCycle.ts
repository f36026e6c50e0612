// The end of a backup cycle, after the last END BACKUP: archive the current log, check for
// NOLOGGING changes made while files were copied, write and ship a standby controlfile, check
// that every datafile of every container has its copy, then record the consistent point
// (last, so a failed step is repeated by a re-run).
import path from 'node:path';
import { chooseLocalDests } from '../archivelog/dest.ts';
import type { ToolContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { DrError, ExitCode, TransferError } from '../errors.ts';
import type { Remote } from '../remote.ts';
import { describeExit, startRsync } from '../rsync.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';
import { rowKey } from './containers.ts';
import { coverageError, readMarkers, uncoveredDatafiles } from './markers.ts';
import type { DoneMarker } from './plan.ts';

/** After the last END BACKUP: archive the current log, check NOLOGGING, ship a standby controlfile, then record the consistent point (last, so a failed step is repeated by a re-run). */
export async function finishCycle(ctx: ToolContext, db: Database, remote: Remote, cutoff: bigint, dbid: string, rsyncExtra: string[]): Promise<bigint> {
  const { config, log, state } = ctx;
  const before = await db.currentLogs();
  log.info('ALTER SYSTEM ARCHIVE LOG CURRENT (archives the log holding the END BACKUP markers)');
  await db.archiveLogCurrent();
  const dests = chooseLocalDests(await db.localArchiveDests(), config.archivelog.localDestId);
  const logs = await db.archivedLogs(cutoff, dests.destIds);
  const threads = before.map((b) => {
    const row = logs.find((l) => l.thread === b.thread && l.sequence === b.sequence);
    if (!row) throw new DrError(`archived log thread ${b.thread} sequence ${b.sequence} is not in V$ARCHIVED_LOG after ARCHIVE LOG CURRENT`, { hint: 'check the archiver (V$ARCHIVE_DEST) and re-run', exitCode: ExitCode.ORACLE });
    return { thread: b.thread, sequence: b.sequence, nextScn: row.nextScn.toString() };
  });
  const scn = threads.reduce((m, t) => (BigInt(t.nextScn) > m ? BigInt(t.nextScn) : m), 0n);

  // A NOLOGGING change after a file's copy window began reaches the standby only as an
  // invalidation record: those blocks will be corrupt there (ORA-01578/ORA-26040, facts §4).
  const copiedIn = new Map<number, { ts: string; marker: string; windowScn?: string }>();
  for (const d of new Map((await db.datafiles()).map((r) => [rowKey(r), r])).values()) {
    const marker = state.tsDone(d.tablespace, d.container);
    for (const f of readJsonIfExists<DoneMarker>(marker)?.files ?? []) copiedIn.set(f.fileId, { ts: rowKey(d), marker, windowScn: f.windowScn });
  }
  // Only files copied inside a backup window can be affected: excluded tablespaces are not on
  // the standby, and read-only/offline files receive no redo there.
  const unrecoverable = (await db.unrecoverableSince(cutoff)).filter((u) => {
    const c = copiedIn.get(u.fileId);
    return c?.windowScn !== undefined && u.scn >= BigInt(c.windowScn);
  });
  if (unrecoverable.length) {
    const markers = [...new Set(unrecoverable.map((u) => copiedIn.get(u.fileId)?.marker).filter(Boolean))];
    throw new DrError(
      `NOLOGGING changes made while or after these datafiles were copied leave blocks the standby cannot recover (ORA-01578/ORA-26040 when read):\n` +
        unrecoverable.map((u) => `  file ${u.fileId} ${u.name} (UNRECOVERABLE_CHANGE# ${u.scn})`).join('\n'),
      {
        hint: `ALTER DATABASE FORCE LOGGING; then remove ${markers.join(', ') || 'the ts_*.done markers of those tablespaces'} and re-run hot_backup_ts to copy them again`,
        exitCode: ExitCode.FAILURE,
      },
    );
  }

  await db.createStandbyControlfile(config.standbyControlfile.localPath);
  // Every datafile the standby controlfile lists must have its copy in this cycle (a file
  // added after its tablespace was copied, or after the last round, has none).
  const datafiles = await db.datafiles();
  const uncovered = uncoveredDatafiles(datafiles, readMarkers({ state, sid: config.oracle.sid, dbid, cutoff, log }, datafiles), cutoff, config.backup.excludeTablespaces, dbid);
  if (uncovered.length) throw coverageError(uncovered);
  await remote.ensureDirs([path.posix.dirname(config.standbyControlfile.drPath)]);
  const r = startRsync({
    rsync: config.rsync.path,
    args: ['-a', '--copy-links', '-I', `--timeout=${config.rsync.timeoutSeconds}`, ...rsyncExtra],
    rsh: remote.rsyncRsh(),
    files: [config.standbyControlfile.localPath],
    destSpec: remote.isLocal ? config.standbyControlfile.drPath : `${remote.target}:${config.standbyControlfile.drPath}`,
  });
  const res = await r.done;
  if (res.code !== 0) throw new TransferError(`standby controlfile not copied to ${config.standbyControlfile.drPath}: ${describeExit(res.code)} ${res.errors.join(' | ')}`, 're-run hot_backup_ts: only the final steps are repeated');
  log.info(`standby controlfile ${config.standbyControlfile.localPath} copied to ${config.standbyControlfile.drPath}`);

  writeJsonAtomic(state.consistentPoint(), { scn: scn.toString(), cutoffScn: cutoff.toString(), threads, recordedAt: new Date().toISOString() });
  log.info(`standby can be consistent once recovered through ${threads.map((t) => `thread ${t.thread} sequence ${t.sequence}`).join(', ')} (SCN ${scn})`);
  return scn;
}

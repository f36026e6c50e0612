// hot_backup_ts: list → plan → copy inside backup windows → ARCHIVE LOG CURRENT →
// standby controlfile → every datafile covered → consistent point. Re-running it is always
// safe: certified tablespaces are skipped, windows this tool left open in a killed run are
// resumed or restarted, windows someone else opened are refused and left alone.
import os from 'node:os';
import path from 'node:path';
import { checkIncarnation } from '../archivelog/cutoff.ts';
import { chooseLocalDests } from '../archivelog/dest.ts';
import type { Database } from '../db/database.ts';
import { DrError, ExitCode, InterruptedError, PreconditionError, TransferError } from '../errors.ts';
import type { ToolContext } from '../context.ts';
import { dataStreams, type Remote } from '../remote.ts';
import { startRsync, describeExit } from '../rsync.ts';
import { readJsonIfExists, readTextIfExists, writeJsonAtomic } from '../state.ts';
import { appendLog } from '../log.ts';
import { copyPlan, type CopyOutcome } from './copy.ts';
import { coverageError, readMarkers, uncoveredDatafiles } from './markers.ts';
import { foreignWindowError, planBackup, type DoneMarker } from './plan.ts';
import { Progress } from './progress.ts';
import { checkSources } from './sources.ts';
import { Windows } from './windows.ts';
import { DatafileTransfer } from '../transfer/datafiles.ts';

export function readCutoff(ctx: ToolContext): bigint {
  const file = ctx.state.scnCutoff();
  const text = readTextIfExists(file)?.trim();
  if (!text) {
    throw new PreconditionError(
      `no cutoff SCN recorded in ${file}`,
      'start copy_archivelog first (orquestra_dr does it in the right order): it records the SCN from which archived logs are shipped, and no BEGIN BACKUP may come before it',
    );
  }
  if (!/^\d+$/.test(text)) throw new PreconditionError(`${file} does not hold an SCN: ${JSON.stringify(text)}`, 'remove it and start copy_archivelog again to record a new cutoff');
  return BigInt(text);
}

export interface HotBackupSummary {
  done: string[];
  skipped: number;
  bytes: number;
  consistentScn?: bigint;
}

export async function hotBackup(ctx: ToolContext, db: Database, remote: Remote, signal: AbortSignal): Promise<HotBackupSummary> {
  const { config, log, state } = ctx;
  const cutoff = readCutoff(ctx);
  const info = await db.info();
  if (info.logMode !== 'ARCHIVELOG') {
    throw new PreconditionError(`database ${info.name} is in ${info.logMode} mode: a hot backup is impossible (ORA-01123)`, 'enable ARCHIVELOG mode (STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN)');
  }
  if (info.role !== 'PRIMARY' || info.openMode !== 'READ WRITE') {
    throw new PreconditionError(`database ${info.name} is ${info.role}/${info.openMode}, not an open primary`, 'run hot_backup_ts against the production instance (oracle.sid)');
  }
  checkIncarnation(ctx, info);
  if (cutoff > info.currentScn) throw new PreconditionError(`cutoff SCN ${cutoff} is ahead of the database (current SCN ${info.currentScn})`, `the state directory belongs to another database? remove ${state.scnCutoff()}`);
  if (info.forceLogging !== 'YES') log.warn('FORCE LOGGING is off: a NOLOGGING operation would leave corrupt blocks on the standby (ALTER DATABASE FORCE LOGGING)');
  const streams = dataStreams(config.destination, config.backup.parallel, os.availableParallelism());
  await remote.connect(streams);
  const transfer = await DatafileTransfer.start(ctx, remote);
  log.info(`database ${info.name} (DBID ${info.dbid}), current SCN ${info.currentScn}, cutoff SCN ${cutoff}, destination ${remote.describe()}`);

  const inflightFile = state.inflight('hot_backup_ts');
  const windows = new Windows(db, inflightFile, cutoff, log, ctx.tsLog);
  const rsyncLogFile = ctx.logs.tool('hot_backup_ts', 'rsync.log');
  const markers = { state, sid: config.oracle.sid, dbid: info.dbid, cutoff, log };
  const rsyncLog = (line: string) => appendLog(rsyncLogFile, `${new Date().toISOString()} ${line}\n`, ctx.tool);
  const rsyncExtra = [...(config.rsync.bwlimitKBps > 0 ? [`--bwlimit=${config.rsync.bwlimitKBps}`] : []), ...config.rsync.extraOptions];
  const rsyncArgs = [
    '-a',
    '--copy-links', // a datafile moved to another mount and linked back: its content, not the link
    '-I', // never trust size+mtime: a stale same-size datafile must be rewritten (the seed's --append-verify kept it)
    '--inplace', // no second copy of a TB file on DR; an interrupted copy resumes against what is there
    '--info=progress2',
    `--timeout=${config.rsync.timeoutSeconds}`,
    ...transfer.args,
    ...rsyncExtra,
  ];
  const summary: HotBackupSummary = { done: [], skipped: 0, bytes: 0 };
  const failures: CopyOutcome['failed'] = [];
  const progress = new Progress(state.progress('hot_backup_ts'));
  let copied = false;
  let notEndedAtExit: string[] = [];
  try {
    for (let round = 1; round <= 3; round++) {
      const [datafiles, tablespaces, backup] = await Promise.all([db.datafiles(), db.tablespaces(), db.backupStatus()]);
      const done = readMarkers(markers, datafiles);
      const plan = planBackup({
        datafiles,
        tablespaces: tablespaces.map((t) => ({ name: t.name, contents: t.contents })),
        backup,
        done,
        cutoffScn: cutoff,
        pathMap: config.pathMap,
        unmappedPaths: config.unmappedPaths,
        excludeTablespaces: config.backup.excludeTablespaces,
        coreTablespaces: config.backup.coreTablespaces,
        batchMaxFiles: config.backup.batchMaxFiles,
        batchMaxBytes: config.backup.batchMaxBytes,
        parallel: config.backup.parallel,
        inflight: Windows.readInflight(inflightFile),
        dbid: info.dbid,
      });
      if (plan.foreignWindows.length) throw foreignWindowError(plan.foreignWindows, inflightFile);
      for (const ts of plan.strayBackupMode) {
        log.warn(`tablespace ${ts} was left in backup mode by an interrupted run and has nothing left to copy: ending backup mode`);
        await windows.closeStray(ts);
      }
      if (round === 1) summary.skipped = plan.skipped.length;
      for (const s of plan.skipped) if (round === 1) log.info(`skip ${s.name}: ${s.reason}`);
      if (plan.tablespaces.length === 0) {
        log.info(round === 1 ? 'every tablespace is already done for this cutoff' : 'no datafile was added during the copy');
        break;
      }
      if (round > 1) log.warn(`datafiles appeared during the backup (ORA-01274 on the standby otherwise): copying ${plan.tablespaces.map((t) => t.name).join(', ')}`);
      log.info(`plan: ${plan.tablespaces.length} tablespace(s), ${plan.batches.length} batch(es), ${plan.totalBytes} bytes, ${config.backup.parallel} worker(s)`);
      for (const t of plan.tablespaces) ctx.tsLog(t.name).info(`planned: ${t.files.length} file(s), ${t.bytes} bytes, window ${t.window}`);
      const unreadable = checkSources(plan.tablespaces.flatMap((t) => t.files));
      if (unreadable) {
        // Refused before any window opens; windows an interrupted run of ours left open end now.
        const ours = Windows.readInflight(inflightFile);
        for (const t of plan.tablespaces) if ((t.window === 'resume' || t.window === 'restart') && ours.includes(t.name)) await windows.closeStray(t.name);
        throw unreadable;
      }
      await remote.ensureDirs(plan.batches.map((b) => b.destRoot)); // rsync creates the rest (--files-from implies --relative)
      const xfer = await transfer.planRound(plan, (r) => progress.transfer(r));
      plan.batches = xfer.refresh.batches;
      progress.start(plan);
      progress.transfer(xfer.report);
      copied = true;
      const copyStart = process.hrtime.bigint();
      const outcome = await copyPlan(
        plan,
        {
          windows,
          log,
          tsLog: ctx.tsLog,
          rsyncLog,
          rsync: { program: config.rsync.path, args: rsyncArgs, rsh: (n) => remote.rsyncRsh(streams ? ((n - 1) % streams) + 1 : 0), destSpec: (d) => remote.spec(d), retries: config.rsync.retries },
          writeDone: (m) => {
            writeJsonAtomic(state.tsDone(m.tablespace), { ...m, sid: config.oracle.sid, dbid: info.dbid });
            progress.tablespaceDone(m.tablespace);
          },
          cutoff,
          parallel: config.backup.parallel,
          onBytes: (b) => progress.bytes(b),
          batchRsync: xfer.hooks,
        },
        signal,
      );
      const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;
      log.info(`copy phase: ${plan.totalBytes} bytes in ${copySeconds.toFixed(2)} s (${(plan.totalBytes / 1e6 / copySeconds).toFixed(0)} MB/s)`);
      transfer.finishRound(xfer, copySeconds);
      summary.done.push(...outcome.done);
      summary.bytes += plan.totalBytes;
      failures.push(...outcome.failed);
      for (const f of outcome.failed) progress.tablespaceFailed(f.tablespace);
      if (outcome.interrupted || outcome.failed.length) break;
    }
  } finally {
    const notEnded = await windows.closeAll();
    notEndedAtExit = notEnded;
    progress.stop();
    if (notEnded.length) {
      log.error(`could not END BACKUP for ${notEnded.join(', ')}: end it by hand (ALTER TABLESPACE ... END BACKUP)`);
    }
  }
  if (signal.aborted) throw new InterruptedError(String(signal.reason ?? 'signal'), notEndedAtExit);
  if (failures.length) {
    throw new TransferError(
      `${failures.length} tablespace(s) not backed up:\n` +
        failures.map((f) => `  ${f.tablespace}: ${f.files.map((x) => `${x.source} (${x.reason})`).join('; ')}`).join('\n'),
      `backup mode was ended for them and no .done marker was written; fix the cause (see ${ctx.logs.tool('hot_backup_ts', 'rsync.log')}) and re-run hot_backup_ts: finished tablespaces are kept`,
    );
  }
  const previous = readJsonIfExists<{ scn: string; cutoffScn: string }>(state.consistentPoint());
  if (!copied && previous?.cutoffScn === cutoff.toString()) {
    log.info(`nothing to copy; the standby controlfile and consistent point (SCN ${previous.scn}) of this cycle were already recorded`);
    summary.consistentScn = BigInt(previous.scn);
    return summary;
  }
  summary.consistentScn = await finishCycle(ctx, db, remote, cutoff, info.dbid, [...transfer.singleFileArgs, ...rsyncExtra]);
  return summary;
}

/** After the last END BACKUP: archive the current log, check NOLOGGING, ship a standby controlfile, then record the consistent point (last, so a failed step is repeated by a re-run). */
async function finishCycle(ctx: ToolContext, db: Database, remote: Remote, cutoff: bigint, dbid: string, rsyncExtra: string[]): Promise<bigint> {
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
  const copiedIn = new Map<number, { ts: string; windowScn?: string }>();
  for (const ts of new Set((await db.datafiles()).map((d) => d.tablespace))) {
    for (const f of readJsonIfExists<DoneMarker>(state.tsDone(ts))?.files ?? []) copiedIn.set(f.fileId, { ts, windowScn: f.windowScn });
  }
  // Only files copied inside a backup window can be affected: excluded tablespaces are not on
  // the standby, and read-only/offline files receive no redo there.
  const unrecoverable = (await db.unrecoverableSince(cutoff)).filter((u) => {
    const c = copiedIn.get(u.fileId);
    return c?.windowScn !== undefined && u.scn >= BigInt(c.windowScn);
  });
  if (unrecoverable.length) {
    const tss = [...new Set(unrecoverable.map((u) => copiedIn.get(u.fileId)?.ts).filter(Boolean))];
    throw new DrError(
      `NOLOGGING changes made while or after these datafiles were copied leave blocks the standby cannot recover (ORA-01578/ORA-26040 when read):\n` +
        unrecoverable.map((u) => `  file ${u.fileId} ${u.name} (UNRECOVERABLE_CHANGE# ${u.scn})`).join('\n'),
      {
        hint: `ALTER DATABASE FORCE LOGGING; then remove ${tss.map((t) => state.tsDone(t!)).join(', ') || 'the ts_*.done markers of those tablespaces'} and re-run hot_backup_ts to copy them again`,
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

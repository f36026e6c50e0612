// hot_backup_ts: list → plan → copy inside backup windows → ARCHIVE LOG CURRENT →
// standby controlfile → every datafile covered → consistent point. Re-running it is always
// safe: certified tablespaces are skipped, windows this tool left open in a killed run are
// resumed or restarted, windows someone else opened are refused and left alone.
import os from 'node:os';
import path from 'node:path';
import { checkIncarnation } from '../archivelog/cutoff.ts';
import type { Database } from '../db/database.ts';
import { InterruptedError, PreconditionError, TransferError } from '../errors.ts';
import type { ToolContext } from '../context.ts';
import { dataStreams, type Remote } from '../remote.ts';
import { readJsonIfExists, readTextIfExists, writeJsonAtomic } from '../state.ts';
import { appendLog, type Logger } from '../log.ts';
import { containerChanges, describeContainers, readContainerRecord, refOf, tsKeyOf, writeContainerRecord, type Container } from './containers.ts';
import { copyPlan, type CopyOutcome } from './copy.ts';
import { finishCycle } from './finishCycle.ts';
import { readMarkers } from './markers.ts';
import { foreignWindowError, planBackup } from './plan.ts';
import { Progress } from './progress.ts';
import { checkSources } from './sources.ts';
import { Windows } from './windows.ts';
import { DatafileTransfer } from '../transfer/datafiles.ts';
import { detectCapabilities, type LinkCapabilities } from '../transfer/capabilities.ts';

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

/**
 * The DR side of a run, made ready before the database is asked anything: the ssh connections
 * (the shared one and the datafile streams', `streams`), then both rsyncs' capabilities (`caps`). bin/hot_backup_ts starts it while
 * sqlplus starts; hotBackup awaits it after the database checks, so their errors keep their
 * order. Connecting is harmless: nothing is written on DR.
 */
export interface HotBackupLink {
  /** How many datafile streams have their own ssh connection (0: they share the main one). */
  streamCount: number;
  caps: Promise<LinkCapabilities>;
  streams: Promise<void>;
}

export function openHotBackupLink(ctx: ToolContext, remote: Remote): HotBackupLink {
  // All connections at once (each its own socket: no race), as a sequence they cost twice the time.
  const streamCount = dataStreams(ctx.config.destination, ctx.config.backup.parallel, os.availableParallelism());
  const streams = remote.connect(streamCount);
  const caps = streams.then(() => detectCapabilities(ctx.config.rsync.path, remote));
  caps.catch(() => undefined);
  streams.catch(() => undefined);
  return { streamCount, caps, streams };
}

/** Settles when nothing of `link` is still connecting (before remote.close()). */
export async function linkSettled(link: HotBackupLink): Promise<void> {
  await Promise.allSettled([link.caps, link.streams]);
}

export async function hotBackup(ctx: ToolContext, db: Database, remote: Remote, signal: AbortSignal, early?: HotBackupLink): Promise<HotBackupSummary> {
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
  const link = early ?? openHotBackupLink(ctx, remote);
  const streams = link.streamCount;
  const transfer = await DatafileTransfer.start(ctx, remote, await link.caps);
  log.info(`database ${info.name} (DBID ${info.dbid}), current SCN ${info.currentScn}, cutoff SCN ${cutoff}, destination ${remote.describe()}`);

  const cdb = info.cdb;
  // In a CDB each container has its own tablespaces: their logs are ts_<SID>.<container>.<TS>.log.
  const tsLoggers = new Map<string, Logger>();
  const tsLog = !cdb
    ? ctx.tsLog
    : (key: string) => {
        let l = tsLoggers.get(key);
        if (!l) {
          const ref = refOf(key, true);
          l = log.child(ctx.logs.tablespace(ref.tablespace, ref.container), { console: false });
          tsLoggers.set(key, l);
        }
        return l;
      };
  const FIRST = 'the previous run of this backup cycle';
  let seenContainers: Container[] | undefined = cdb ? readContainerRecord(state, cutoff) : undefined;
  const checkContainers = async (since: string) => {
    if (!cdb) return;
    const now = await db.containers();
    if (since === FIRST) log.info(`container database: ${describeContainers(now)}`);
    if (seenContainers !== undefined) for (const m of containerChanges(seenContainers, now, since)) log.warn(m);
    writeContainerRecord(state, cutoff, now);
    seenContainers = now;
  };

  const inflightFile = state.inflight('hot_backup_ts');
  const windows = new Windows(db, inflightFile, cutoff, log, tsLog, cdb);
  const rsyncLogFile = ctx.logs.tool('hot_backup_ts', 'rsync.log');
  const markers = { state, sid: config.oracle.sid, dbid: info.dbid, cutoff, log };
  const rsyncLog = (line: string) => appendLog(rsyncLogFile, `${new Date().toISOString()} ${line}\n`, ctx.tool);
  const rsyncExtra = [...(config.rsync.bwlimitKBps > 0 ? [`--bwlimit=${config.rsync.bwlimitKBps}`] : []), ...config.rsync.extraOptions];
  const rsyncArgs = (compressionAndChecksum: string[]) => [
    '-a',
    '--copy-links', // a datafile moved to another mount and linked back: its content, not the link
    '-I', // never trust size+mtime: a stale same-size datafile must be rewritten (the seed's --append-verify kept it)
    '--inplace', // no second copy of a TB file on DR; an interrupted copy resumes against what is there
    '--info=progress2',
    `--timeout=${config.rsync.timeoutSeconds}`,
    ...compressionAndChecksum,
    ...rsyncExtra,
  ];
  const summary: HotBackupSummary = { done: [], skipped: 0, bytes: 0 };
  const failures: CopyOutcome['failed'] = [];
  const progress = new Progress(state.progress('hot_backup_ts'));
  let copied = false;
  let notEndedAtExit: string[] = [];
  try {
    for (let round = 1; round <= 3; round++) {
      await checkContainers(round === 1 ? FIRST : 'the start of this run');
      const [datafiles, tablespaces, backup] = await Promise.all([db.datafiles(), db.tablespaces(), db.backupStatus()]);
      const done = readMarkers(markers, datafiles);
      const plan = planBackup({
        datafiles,
        tablespaces: tablespaces.map((t) => ({ name: tsKeyOf(t.name, t.container), contents: t.contents })),
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
      for (const t of plan.tablespaces) tsLog(t.name).info(`planned: ${t.files.length} file(s), ${t.bytes} bytes, window ${t.window}`);
      const unreadable = checkSources(plan.tablespaces.flatMap((t) => t.files));
      if (unreadable) {
        // Refused before any window opens; windows an interrupted run of ours left open end now.
        const ours = Windows.readInflight(inflightFile);
        for (const t of plan.tablespaces) if ((t.window === 'resume' || t.window === 'restart') && ours.includes(t.name)) await windows.closeStray(t.name);
        throw unreadable;
      }
      // rsync creates the rest (--files-from implies --relative); the standby controlfile's
      // directory too, in the same ssh round trip, made while the DR copies are looked at.
      const [dirs, planned] = await Promise.allSettled([
        remote.ensureDirs([...plan.batches.map((b) => b.destRoot), path.posix.dirname(config.standbyControlfile.drPath)]),
        transfer.planRound(plan, (r) => progress.transfer(r)),
      ]);
      if (dirs.status === 'rejected') throw dirs.reason;
      if (planned.status === 'rejected') throw planned.reason;
      const xfer = planned.value;
      plan.batches = xfer.refresh.batches;
      await link.streams; // every worker's connection is up before two rsyncs could race to open it
      progress.start(plan);
      progress.transfer(xfer.report);
      copied = true;
      const copyStart = process.hrtime.bigint();
      const outcome = await copyPlan(
        plan,
        {
          windows,
          log,
          tsLog,
          rsyncLog,
          rsync: { program: config.rsync.path, args: rsyncArgs(transfer.roundArgs(xfer)), rsh: (n) => remote.rsyncRsh(streams ? ((n - 1) % streams) + 1 : 0), destSpec: (d) => remote.spec(d), retries: config.rsync.retries },
          writeDone: (m) => {
            const ref = refOf(m.tablespace, cdb);
            writeJsonAtomic(state.tsDone(ref.tablespace, ref.container), { ...m, tablespace: ref.tablespace, ...(ref.container !== undefined ? { container: ref.container } : {}), sid: config.oracle.sid, dbid: info.dbid });
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


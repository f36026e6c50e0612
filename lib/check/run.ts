// bin/check: asks production (read-only V$ queries, no statement that changes anything), reads
// this database's state files, asks the DR host, and returns every finding in a fixed order.
// A question that cannot be answered becomes a FAIL (the database, ssh) or a SKIP for what
// depends on it; it never hides the other findings.
import type { DrConfig } from '../config/index.ts';
import { filesystemOf, recoveryAreaUsage, type DestSpace } from '../archivelog/space.ts';
import { Windows } from '../backup/windows.ts';
import { checkDatafiles, checkParameters, redoLogGroups, redoRate } from '../db/checkQuestions.ts';
import { openConnection } from '../db/connect.ts';
import { Database } from '../db/database.ts';
import { DrError, formatError } from '../errors.ts';
import { readLockHolder } from '../lock.ts';
import { Remote } from '../remote.ts';
import { readTextIfExists, StateFiles } from '../state.ts';
import { archiveDestFindings, recoveryAreaFinding } from './archiveSpace.ts';
import { drFindings } from './drSide.ts';
import { ok, problem, skip, type Finding } from './finding.ts';
import { backupModeFinding, logModeFindings, nologgingFinding, type CheckDatafile } from './logging.ts';
import { pathMapFinding } from './pathMap.ts';
import { archiveLagFinding, controlfileFinding, deviceOfPath, redoMembersFinding } from './redundancy.ts';

const DB_IDS = ['archivelog', 'force_logging', 'nologging', 'backup_mode', 'archive_lag_target', 'controlfiles', 'redo_members', 'archive_dests', 'path_map'];

interface DbPart {
  findings: Finding[];
  files?: CheckDatafile[];
  prod?: { dbid: string; name: string };
}

function cutoffOf(state: StateFiles): bigint | undefined {
  const t = readTextIfExists(state.scnCutoff())?.trim();
  return t && /^\d+$/.test(t) ? BigInt(t) : undefined;
}

async function databaseFindings(config: DrConfig, state: StateFiles, opts: CheckOptions): Promise<DbPart> {
  let db: Database;
  try {
    db = await Database.open(() => openConnection(config), { sid: config.oracle.sid });
  } catch (e) {
    const [message] = (e instanceof DrError ? e.message : formatError(e)).split('\n');
    return {
      findings: [
        problem('database', 'FAIL', `cannot ask production (${config.oracle.sid}): ${message}`, e instanceof DrError && e.hint ? e.hint : 'check ORACLE_HOME, ORACLE_SID and that the instance is up'),
        ...DB_IDS.map((id) => skip(id, 'not checked: the database could not be asked (database)')),
      ],
    };
  }
  try {
    const info = await db.info();
    const files = await checkDatafiles(db);
    const active = (await db.backupStatus()).filter((b) => b.active).map((b) => b.fileId);
    const params = await checkParameters(db);
    const groups = await redoLogGroups(db);
    const holder = readLockHolder(state.lock('hot_backup_ts'));
    const dests: DestSpace[] = (await db.localArchiveDests()).map((d) => {
      const fsInfo = filesystemOf(d.destination);
      return { destId: d.destId, status: d.status, error: d.error, destination: d.destination, ...(fsInfo && { filesystem: fsInfo }) };
    });
    const destFindings: Finding[] = [];
    const rates = new Map<number, { bytes: number; seconds: number }>();
    for (const d of dests) {
      rates.set(d.destId, await redoRate(db, d.destId, config.check.redoRateHours));
      destFindings.push(...archiveDestFindings([d], rates.get(d.destId)!, config.thresholds));
    }
    const ra = recoveryAreaUsage(await db.recoveryFileDest());
    // the recovery area fills at the rate of its destination, or of the busiest one when none is named so
    const fraDest = dests.find((d) => /^USE_DB_RECOVERY_FILE_DEST$/i.test(d.destination));
    const fraRate = fraDest ? rates.get(fraDest.destId)! : [...rates.values()].sort((a, b) => b.bytes / b.seconds - a.bytes / a.seconds)[0];
    if (ra && fraRate) destFindings.push(recoveryAreaFinding(ra, fraRate, config.thresholds));
    const findings = [
      ok('database', `${info.name} (DBID ${info.dbid}) is ${info.openMode}, ${info.role}`),
      ...logModeFindings(info),
      nologgingFinding(files, cutoffOf(state), opts.newCycle),
      backupModeFinding(active, { hotBackupPid: holder?.alive ? holder.pid : undefined, inflight: Windows.readInflight(state.inflight('hot_backup_ts')) }),
      archiveLagFinding(params.get('archive_lag_target')),
      controlfileFinding(params.get('control_files') ?? '', deviceOfPath),
      redoMembersFinding(groups, deviceOfPath),
      ...(destFindings.length ? destFindings : [problem('archive_dests', 'FAIL', 'no local archive destination (V$ARCHIVE_DEST with TARGET PRIMARY and a DESTINATION)', 'set LOG_ARCHIVE_DEST_1 (LOCATION=...) or DB_RECOVERY_FILE_DEST')]),
      pathMapFinding(files, config.pathMap, config.unmappedPaths),
    ];
    return { findings, files, prod: { dbid: info.dbid, name: info.name } };
  } catch (e) {
    const [message] = (e instanceof DrError ? e.message : formatError(e)).split('\n');
    return { findings: [problem('database', 'FAIL', `a query on production failed: ${message}`, e instanceof DrError && e.hint ? e.hint : 'see the message; re-run check once it is fixed')] };
  } finally {
    await db.close();
  }
}

export interface CheckOptions {
  /** orquestra_dr --new-cycle: the copy starts over, so NOLOGGING changes of the old cycle do not count. */
  newCycle?: boolean;
  /** orquestra_dr --accept-fail: ids of FAILs the DBA has judged; they do not stop orquestra_dr (bin/check ignores it). */
  acceptFail?: string[];
}

/** Every finding about production, this database's state and the DR host. */
export async function runCheck(config: DrConfig, opts: CheckOptions = {}): Promise<Finding[]> {
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  state.ensureDir();
  const dbPart = await databaseFindings(config, state, opts);
  const remote = new Remote(config.destination, config.dirs.state, `${config.oracle.sid}.check`);
  try {
    return [...dbPart.findings, ...(await drFindings(config, remote, dbPart.files, dbPart.prod))];
  } finally {
    await remote.close();
  }
}

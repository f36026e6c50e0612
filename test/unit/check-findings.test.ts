// bin/check's findings from given facts (lib/check/*): the pure evaluation, for the cases the
// simulator cannot produce (mirrored control files and redo members, ARCHIVE_LAG_TARGET set,
// a nearly full destination by hours of redo, a DR instance in every state) and the exact
// messages, table and JSON document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveDestFindings } from '../../lib/check/archiveSpace.ts';
import { backupModeFinding, logModeFindings, nologgingFinding } from '../../lib/check/logging.ts';
import { archiveLagFinding, controlfileFinding, redoMembersFinding } from '../../lib/check/redundancy.ts';
import { pathMapFinding } from '../../lib/check/pathMap.ts';
import { drInstanceFinding, parseDrInstance } from '../../lib/check/drInstance.ts';
import { drSpaceFinding, parseDf } from '../../lib/check/drSpace.ts';
import { checkExitCode, formatTable, reportJson, type Finding } from '../../lib/check/finding.ts';

const GiB = 1024 ** 3;
const thresholds = { archiveDestUsedPercent: { warning: 80, critical: 90 }, archiveDestHoursLeft: { warning: 24, critical: 4 } };

test('ARCHIVELOG and FORCE LOGGING', () => {
  assert.deepEqual(logModeFindings({ logMode: 'NOARCHIVELOG', forceLogging: 'NO' }), [
    {
      id: 'archivelog',
      status: 'FAIL',
      why: 'the database is in NOARCHIVELOG mode: no redo is archived, so the standby cannot be recovered and BEGIN BACKUP fails (ORA-01123)',
      todo: 'in a maintenance window: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN;',
    },
    {
      id: 'force_logging',
      status: 'WARN',
      why: 'FORCE LOGGING is off: a NOLOGGING operation (direct-path load, CREATE INDEX ... NOLOGGING) leaves blocks the standby cannot recover (ORA-01578/ORA-26040 when read)',
      todo: 'ALTER DATABASE FORCE LOGGING; (online; NOLOGGING operations then write full redo)',
    },
  ]);
  const ok = logModeFindings({ logMode: 'ARCHIVELOG', forceLogging: 'YES' });
  assert.deepEqual(ok.map((f) => [f.status, f.why]), [
    ['OK', 'the database is in ARCHIVELOG mode'],
    ['OK', 'FORCE LOGGING is on: NOLOGGING operations write full redo'],
  ]);
});

test('NOLOGGING changes since the standby copy began: per file, against the cutoff SCN', () => {
  const files = [
    { fileId: 4, name: '/u05/users01.dbf', bytes: GiB, unrecoverableScn: 900n },
    { fileId: 7, name: '/u06/app 01.dbf', bytes: GiB, unrecoverableScn: 1200n },
  ];
  assert.deepEqual(nologgingFinding(files, undefined), {
    id: 'nologging',
    status: 'SKIP',
    why: 'not checked: no backup cycle yet (no cutoff SCN recorded), so no standby copy to compare with',
    todo: '',
  });
  assert.equal(nologgingFinding(files, 1200n).status, 'OK');
  // orquestra_dr --new-cycle copies everything again: the old cycle's NOLOGGING changes must not stop it
  assert.deepEqual(nologgingFinding(files, 1000n, true), { id: 'nologging', status: 'SKIP', why: 'not checked: a new backup cycle starts now (--new-cycle): every datafile is copied again', todo: '' });
  assert.equal(nologgingFinding(files, 1200n).why, 'no NOLOGGING change since the standby copy began (cutoff SCN 1200; V$DATAFILE.UNRECOVERABLE_CHANGE#)');
  assert.deepEqual(nologgingFinding(files, 1000n), {
    id: 'nologging',
    status: 'FAIL',
    why: "1 datafile changed by NOLOGGING since the standby copy began (cutoff SCN 1000): file 7 '/u06/app 01.dbf' at SCN 1200; those blocks are unrecoverable on the standby (ORA-01578/ORA-26040 when read)",
    todo: 'ALTER DATABASE FORCE LOGGING; then copy the files again in a new backup cycle (orquestra_dr --new-cycle)',
  });
});

test('backup mode: ours while hot_backup_ts runs, ours left by a dead run, or someone else\'s', () => {
  assert.equal(backupModeFinding([], {}).why, 'no datafile is in backup mode (V$BACKUP)');
  assert.deepEqual(backupModeFinding([3, 4], { hotBackupPid: 4242 }), {
    id: 'backup_mode',
    status: 'OK',
    why: '2 datafiles in backup mode by the running hot_backup_ts (pid 4242)',
    todo: '',
  });
  assert.deepEqual(backupModeFinding([3], { inflight: ['USERS'] }), {
    id: 'backup_mode',
    status: 'WARN',
    why: '1 datafile in backup mode, left by an interrupted hot_backup_ts (tablespaces USERS): redo carries full block images until it ends',
    todo: 'run hot_backup_ts (or orquestra_dr) again: it ends or resumes its own backup windows',
  });
  assert.deepEqual(backupModeFinding([3, 5], {}), {
    id: 'backup_mode',
    status: 'FAIL',
    why: 'datafiles 3, 5 are in backup mode, not by this suite (a DBA\'s BEGIN BACKUP, a snapshot script?): hot_backup_ts refuses to take over such a window',
    todo: 'find who began it; once nothing copies those files: ALTER DATABASE END BACKUP;',
  });
});

test('ARCHIVE_LAG_TARGET bounds the RPO', () => {
  assert.deepEqual(archiveLagFinding(undefined), {
    id: 'archive_lag_target',
    status: 'WARN',
    why: 'ARCHIVE_LAG_TARGET is 0: a quiet database may not switch logs for hours, and the standby is only as recent as the last archived log (no bound on the data lost)',
    todo: 'ALTER SYSTEM SET archive_lag_target=900 SCOPE=BOTH; (a log switch at least every 15 min: RPO about 15 min plus shipping; Oracle suggests 1800, at most 7200 is useful)',
  });
  assert.equal(archiveLagFinding('0').status, 'WARN');
  assert.deepEqual(archiveLagFinding('900'), { id: 'archive_lag_target', status: 'OK', why: 'ARCHIVE_LAG_TARGET is 900 s: a log switch at least every 15 min bounds the data lost', todo: '' });
});

test('control files: one, or all on one filesystem, is a WARN', () => {
  const dev = (p: string) => (p.startsWith('/u02') ? 2 : 3);
  assert.deepEqual(controlfileFinding('/u02/control01.ctl', dev), {
    id: 'controlfiles',
    status: 'WARN',
    why: 'one control file (/u02/control01.ctl): losing it stops the database, and recovering it needs a backup controlfile and RESETLOGS',
    todo: 'mirror it on another filesystem: add a copy to CONTROL_FILES (ALTER SYSTEM SET control_files=... SCOPE=SPFILE), copy the file while the database is down, start it',
  });
  assert.deepEqual(controlfileFinding('/u02/c1.ctl, /u02/x/c2.ctl', dev).why, 'the 2 control files are all on one filesystem: one disk lost loses them all');
  assert.deepEqual(controlfileFinding('/u02/c1.ctl, /u03/c2.ctl', dev), { id: 'controlfiles', status: 'OK', why: '2 control files on 2 filesystems', todo: '' });
});

test('redo log members: a group with one member, or members on one filesystem, is a WARN', () => {
  const dev = (p: string) => Number(p.slice(2, 4));
  const one = [{ group: 1, members: ['/u10/redo01.log'] }, { group: 2, members: ['/u10/redo02.log'] }];
  assert.deepEqual(redoMembersFinding(one, dev), {
    id: 'redo_members',
    status: 'WARN',
    why: '2 of 2 online redo log groups have a single member or all members on one filesystem (groups 1, 2): losing that disk loses committed changes not yet archived',
    todo: "add a member on another filesystem to each: ALTER DATABASE ADD LOGFILE MEMBER '<path>' TO GROUP <n>;",
  });
  const two = [{ group: 1, members: ['/u10/a.log', '/u11/a.log'] }];
  assert.equal(redoMembersFinding(two, dev).status, 'OK');
  assert.equal(redoMembersFinding(two, dev).why, 'every online redo log group (1) has members on 2 or more filesystems');
});

test('archive destination: free space and hours of redo at the current rate, thresholds from the config', () => {
  const dest = { destId: 1, status: 'VALID', error: '', destination: '/u12/arch', filesystem: { totalBytes: 100 * GiB, freeBytes: 10 * GiB, usedPercent: 90.5 } };
  // 1 GiB an hour: 10 h left → WARN on hours (< 24), FAIL on used percent (> 90)
  const [f] = archiveDestFindings([dest], { bytes: 3 * GiB, seconds: 3 * 3600 }, thresholds);
  assert.deepEqual(f, {
    id: 'archive_dest_1',
    status: 'FAIL',
    why: 'archive destination 1 (/u12/arch): 10.0 GiB free (90.5% used), 10 h of redo at the rate of the last 3 h (1.0 GiB/h); over 90% used',
    todo: 'free space before the archiver stops production (ORA-00257): delete logs already shipped and backed up (RMAN DELETE ARCHIVELOG), or grow the filesystem (limits: thresholds.archive_dest_used_percent, thresholds.archive_dest_hours_left)',
  });
  const roomy = { ...dest, filesystem: { totalBytes: 100 * GiB, freeBytes: 60 * GiB, usedPercent: 40 } };
  const [w] = archiveDestFindings([roomy], { bytes: 9 * GiB, seconds: 3 * 3600 }, thresholds);
  assert.equal(w.status, 'WARN');
  assert.equal(w.why, 'archive destination 1 (/u12/arch): 60.0 GiB free (40% used), 20 h of redo at the rate of the last 3 h (3.0 GiB/h); less than 24 h left');
  const [c] = archiveDestFindings([roomy], { bytes: 60 * GiB, seconds: 3 * 3600 }, thresholds);
  assert.equal(c.status, 'FAIL');
  assert.match(c.why, /, 3 h of redo .*; less than 4 h left$/);
  const [q] = archiveDestFindings([roomy], { bytes: 0, seconds: 3 * 3600 }, thresholds);
  assert.deepEqual([q.status, q.why], ['OK', 'archive destination 1 (/u12/arch): 60.0 GiB free (40% used), no redo archived in the last 3 h']);
  const [full] = archiveDestFindings([{ ...roomy, status: 'FULL' }], { bytes: 0, seconds: 3600 }, thresholds);
  assert.equal(full.status, 'FAIL');
  assert.match(full.why, /^archive destination 1 \(\/u12\/arch\) is FULL \(V\$ARCHIVE_DEST\.STATUS\): the archiver is stuck/);
  const [asm] = archiveDestFindings([{ destId: 2, status: 'VALID', error: '', destination: '+FRA' }], { bytes: 0, seconds: 3600 }, thresholds);
  assert.deepEqual([asm.status, asm.why], ['SKIP', 'not checked: archive destination 2 (+FRA) is not a directory on this host (ASM?); watch its space in V$ASM_DISKGROUP']);
});

test('path map: every datafile covered, else each unmapped one named', () => {
  const files = [
    { fileId: 1, name: '/u05/system01.dbf', bytes: 1, unrecoverableScn: 0n },
    { fileId: 9, name: '/u09/new01.dbf', bytes: 1, unrecoverableScn: 0n },
  ];
  const rules = [{ from: '/u05', to: '/u15' }];
  assert.deepEqual(pathMapFinding(files, rules, 'error'), {
    id: 'path_map',
    status: 'FAIL',
    why: "1 datafile has no DR path: file 9 '/u09/new01.dbf'",
    todo: 'add a path_map rule covering it (rules now: /u05 -> /u15), or set unmapped_paths: same_path',
  });
  assert.deepEqual(pathMapFinding(files, [...rules, { from: '/u09', to: '/u19' }], 'error').why, 'every datafile (2) has a DR path');
});

test('DR space: df -P per filesystem against what the mapped datafiles still need', () => {
  const df = 'Filesystem     1-blocks      Used Available Capacity Mounted on\n/dev/sdb1 107374182400 96636764160 10737418240 90% /dr/u 15\n';
  assert.deepEqual(parseDf(df), [{ availBytes: 10 * GiB, mount: '/dr/u 15' }]);
  const need = [{ mount: '/dr/u 15', availBytes: 10 * GiB, neededBytes: 12 * GiB, files: 3 }];
  assert.deepEqual(drSpaceFinding(need), {
    id: 'dr_space',
    status: 'FAIL',
    why: 'DR filesystem /dr/u 15 has 10.0 GiB free; its 3 mapped datafiles need 12.0 GiB more',
    todo: 'free or add space on the DR host before the copy (the copy would stop with "No space left on device"), or map the files elsewhere (path_map)',
  });
  assert.deepEqual(drSpaceFinding([{ ...need[0], neededBytes: GiB }]).why, 'DR filesystem /dr/u 15: 10.0 GiB free, 3 mapped datafiles need 1.0 GiB more');
});

test('DR instance: idle, mounted standby of this database, another database', () => {
  const prod = { dbid: '111', name: 'DBPROD' };
  assert.deepEqual(parseDrInstance('\nERROR:\nORA-01034: ORACLE not available\nORA-27101: shared memory realm does not exist\n'), { state: 'idle' });
  assert.deepEqual(parseDrInstance('DRCHECK|222|OTHERDB|CURRENT|READ WRITE\n'), { state: 'up', dbid: '222', name: 'OTHERDB', controlfileType: 'CURRENT', openMode: 'READ WRITE' });
  assert.deepEqual(drInstanceFinding({ state: 'up', dbid: '222', name: 'OTHERDB', controlfileType: 'CURRENT', openMode: 'READ WRITE' }, prod, 'DRSTBY'), {
    id: 'dr_instance',
    status: 'FAIL',
    why: 'the DR instance DRSTBY is database OTHERDB (DBID 222), not a standby of DBPROD (DBID 111)',
    todo: 'check.dr_instance.oracle_sid and oracle_home must name the standby of this database; never ship these files over another database',
  });
  assert.equal(drInstanceFinding({ state: 'up', dbid: '111', name: 'DBPROD', controlfileType: 'STANDBY', openMode: 'MOUNTED' }, prod, 'DBPROD').why, 'the DR instance DBPROD is mounted as a standby of DBPROD (DBID 111)');
  assert.equal(drInstanceFinding({ state: 'idle' }, prod, 'DBPROD').status, 'WARN');
  assert.equal(drInstanceFinding({ state: 'up', dbid: '111', name: 'DBPROD', controlfileType: 'CURRENT', openMode: 'READ WRITE' }, prod, 'DBPROD').status, 'FAIL');
  assert.deepEqual(drInstanceFinding(undefined, prod, 'DBPROD'), { id: 'dr_instance', status: 'SKIP', why: 'not checked (check.dr_instance.enabled is false)', todo: '' });
});

test('table, JSON and exit code: any FAIL exits 8, WARN alone 0', () => {
  const fs: Finding[] = [
    { id: 'archivelog', status: 'OK', why: 'the database is in ARCHIVELOG mode', todo: '' },
    { id: 'force_logging', status: 'WARN', why: 'FORCE LOGGING is off', todo: 'ALTER DATABASE FORCE LOGGING;' },
  ];
  assert.equal(checkExitCode(fs), 0);
  assert.equal(checkExitCode([...fs, { id: 'x', status: 'FAIL', why: 'y', todo: '' }]), 8);
  assert.equal(
    formatTable(fs, 'DBPROD'),
    'check of DBPROD: 0 FAIL, 1 WARN, 1 OK\n' +
      'OK    archivelog          the database is in ARCHIVELOG mode\n' +
      'WARN  force_logging       FORCE LOGGING is off\n' +
      '                          HINT: ALTER DATABASE FORCE LOGGING;\n',
  );
  const j = reportJson(fs, 'DBPROD', new Date('2026-11-28T12:00:00Z'));
  assert.deepEqual(j, { database: 'DBPROD', checkedAt: '2026-11-28T12:00:00.000Z', status: 'WARN', counts: { OK: 1, WARN: 1, FAIL: 0, SKIP: 0 }, findings: fs });
});

test('orquestra_dr\'s preflight: a FAIL stops it with the findings in its log, WARNs go on', async () => {
  const { preflight } = await import('../../lib/check/preflight.ts');
  const { createLogger } = await import('../../lib/log.ts');
  const { PreconditionError, formatError } = await import('../../lib/errors.ts');
  const fsm = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fsm.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  try {
    const log = createLogger({ file: path.join(dir, 'o.log'), errorsFile: path.join(dir, 'e.log'), tool: 'orquestra_dr', console: false });
    const config = { oracle: { sid: 'DBPROD' } } as Parameters<typeof preflight>[0];
    const warn: Finding[] = [{ id: 'force_logging', status: 'WARN', why: 'FORCE LOGGING is off', todo: 'ALTER DATABASE FORCE LOGGING;' }];
    assert.deepEqual(await preflight(config, log, {}, async () => warn), warn);
    const fail: Finding[] = [...warn, { id: 'backup_mode', status: 'FAIL', why: 'datafile 4 is in backup mode', todo: 'END BACKUP' }];
    await assert.rejects(preflight(config, log, {}, async () => fail), (e: unknown) => {
      assert.ok(e instanceof PreconditionError);
      assert.equal(
        formatError(e),
        'preflight check failed (backup_mode): nothing was started\nHINT: fix each FAIL above (its HINT line; docs/TROUBLESHOOTING.md, "check findings"), see them again with bin/check, then re-run orquestra_dr',
      );
      return true;
    });
    // A FAIL the DBA has judged (orquestra_dr --accept-fail backup_mode) does not stop it; it is logged as accepted.
    assert.deepEqual(await preflight(config, log, { acceptFail: ['backup_mode'] }, async () => fail), fail);
    await assert.rejects(preflight(config, log, { acceptFail: ['nologging'] }, async () => fail), (e: unknown) => {
      assert.equal(
        formatError(e),
        '--accept-fail names no FAIL of this check: nologging (the FAILs are: backup_mode)\nHINT: give the id of a FAIL as bin/check prints it (its second column); a FAIL not named still stops orquestra_dr',
      );
      return true;
    });
    const text = fsm.readFileSync(path.join(dir, 'o.log'), 'utf8');
    const lines = text.split('\n').map((l) => l.replace(/^\S+ \S+ /, ''));
    assert.deepEqual(lines, [
      '[INFO] preflight check of DBPROD: 0 FAIL, 1 WARN, 0 OK',
      '[INFO] WARN  force_logging       FORCE LOGGING is off',
      '[INFO]                           HINT: ALTER DATABASE FORCE LOGGING;',
      '[INFO] preflight check of DBPROD: 1 FAIL, 1 WARN, 0 OK',
      '[INFO] WARN  force_logging       FORCE LOGGING is off',
      '[INFO]                           HINT: ALTER DATABASE FORCE LOGGING;',
      '[ERROR] FAIL  backup_mode         datafile 4 is in backup mode',
      '[ERROR]                           HINT: END BACKUP',
      '[INFO] preflight check of DBPROD: 1 FAIL, 1 WARN, 0 OK',
      '[INFO] WARN  force_logging       FORCE LOGGING is off',
      '[INFO]                           HINT: ALTER DATABASE FORCE LOGGING;',
      '[WARN] FAIL  backup_mode         datafile 4 is in backup mode',
      '[WARN]                           HINT: END BACKUP',
      '[WARN] FAIL backup_mode accepted by --accept-fail: orquestra_dr goes on',
      '',
    ]);
  } finally {
    fsm.rmSync(dir, { recursive: true, force: true });
  }
});

test('the fast recovery area: its quota, reclaimable space counted as free, the same limits', async () => {
  const { recoveryAreaFinding } = await import('../../lib/check/archiveSpace.ts');
  const ra = { name: '/u12/fra', limitBytes: 100 * GiB, usedBytes: 95 * GiB, reclaimableBytes: 0, usedPercent: 95 };
  assert.deepEqual(recoveryAreaFinding(ra, { bytes: 0, seconds: 3 * 3600 }, thresholds), {
    id: 'recovery_area',
    status: 'FAIL',
    why: 'fast recovery area /u12/fra (quota 100.0 GiB): 5.0 GiB free (95% used), no redo archived in the last 3 h; over 90% used',
    todo: 'free space before the archiver stops production (ORA-00257): delete logs already shipped and backed up (RMAN DELETE ARCHIVELOG), or raise DB_RECOVERY_FILE_DEST_SIZE (ALTER SYSTEM ... SCOPE=BOTH) if its filesystem has room (limits: thresholds.archive_dest_used_percent, thresholds.archive_dest_hours_left)',
  });
  assert.equal(recoveryAreaFinding({ ...ra, reclaimableBytes: 60 * GiB, usedPercent: 35 }, { bytes: 0, seconds: 3600 }, thresholds).status, 'OK');
  const [fra] = archiveDestFindings([{ destId: 1, status: 'VALID', error: '', destination: 'USE_DB_RECOVERY_FILE_DEST' }], { bytes: 0, seconds: 3600 }, thresholds);
  assert.deepEqual([fra.status, fra.why], ['SKIP', 'not checked here: archive destination 1 (USE_DB_RECOVERY_FILE_DEST) is the fast recovery area (finding recovery_area)']);
});

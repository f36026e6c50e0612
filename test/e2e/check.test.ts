// bin/check against the simulated instance, a real sshd for the DR host and a second simulated
// instance standing for "another database": each finding of issue 8's done-when is produced
// for real (NOARCHIVELOG, no FORCE LOGGING, a NOLOGGING change, a file in backup mode, an
// unmapped datafile, a nearly full archive destination, no ARCHIVE_LAG_TARGET, DR unreachable,
// a DR instance of another database) and its exact message asserted, with the exit code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { exec } from '../helpers/proc.ts';
import { createTmux } from '../helpers/tmux.ts';
import { makeWorld, ROOT, type World } from './world.ts';

interface Finding {
  id: string;
  status: string;
  why: string;
  todo: string;
}

const SIM = path.join(ROOT, 'test/sim/bin/sim');

async function check(w: World): Promise<{ code: number; byId: Map<string, Finding>; doc: { status: string } }> {
  const r = await w.tool('check', ['--json'], 180_000);
  assert.ok(r.code === 0 || r.code === 8, `check exited ${r.code}: ${r.stdout}${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { status: string; findings: Finding[] };
  return { code: r.code, byId: new Map(doc.findings.map((f) => [f.id, f])), doc };
}

const get = (m: Map<string, Finding>, id: string) => {
  const f = m.get(id);
  assert.ok(f, `no finding ${id}`);
  return f;
};

test('check finds each problem of the done-when list, with its exact message and the exit code', async () => {
  // the DR host's ssh sessions run the other instance's (fake, node) sqlplus: node on their PATH
  const tmux = createTmux(`chk${process.pid}`);
  const w = await makeWorld({ tablespaces: 3, datafiles: 4, tmuxSocket: tmux.socketName, drEnv: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
  const otherHome = path.join(w.sb.dir, 'oh-other');
  const otherEnv = { ...w.env, ORACLE_HOME: otherHome, ORACLE_SID: 'OTHER' };
  const other = (args: string[]) => exec([SIM, ...args], { env: otherEnv, timeoutMs: 120_000 });
  try {
    // 1. a fresh database: WARNs only (FORCE LOGGING off, no ARCHIVE_LAG_TARGET, one control file,
    //    one redo member per group) → exit 0
    let c = await check(w);
    assert.equal(c.code, 0, JSON.stringify([...c.byId.values()], null, 1));
    assert.equal(c.doc.status, 'WARN');
    for (const id of ['database', 'archivelog', 'backup_mode', 'archive_dest_1', 'path_map', 'dr_ssh', 'dr_rsync', 'dr_dirs', 'dr_space']) assert.equal(get(c.byId, id).status, 'OK', `${id}: ${get(c.byId, id).why}`);
    assert.deepEqual(get(c.byId, 'force_logging'), {
      id: 'force_logging',
      status: 'WARN',
      why: 'FORCE LOGGING is off: a NOLOGGING operation (direct-path load, CREATE INDEX ... NOLOGGING) leaves blocks the standby cannot recover (ORA-01578/ORA-26040 when read)',
      todo: 'ALTER DATABASE FORCE LOGGING; (online; NOLOGGING operations then write full redo)',
    });
    assert.deepEqual(get(c.byId, 'archive_lag_target'), {
      id: 'archive_lag_target',
      status: 'WARN',
      why: 'ARCHIVE_LAG_TARGET is 0: a quiet database may not switch logs for hours, and the standby is only as recent as the last archived log (no bound on the data lost)',
      todo: 'ALTER SYSTEM SET archive_lag_target=900 SCOPE=BOTH; (a log switch at least every 15 min: RPO about 15 min plus shipping; Oracle suggests 1800, at most 7200 is useful)',
    });
    assert.equal(get(c.byId, 'controlfiles').status, 'WARN');
    assert.match(get(c.byId, 'redo_members').why, /^\d+ of \d+ online redo log groups have a single member/);
    assert.equal(get(c.byId, 'nologging').why, 'not checked: no backup cycle yet (no cutoff SCN recorded), so no standby copy to compare with');
    assert.equal(get(c.byId, 'dr_instance').why, 'not checked (check.dr_instance.enabled is false)');
    // the table for people: the same findings, a summary line, HINT lines
    const table = await w.tool('check', [], 180_000);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^check of DBPROD: 0 FAIL, \d+ WARN, \d+ OK, 2 not checked\n/);
    assert.match(table.stdout, /\nWARN  force_logging       FORCE LOGGING is off: .*\n {26}HINT: ALTER DATABASE FORCE LOGGING; /);

    // 2. a file in backup mode that this suite did not begin → FAIL, exit 8
    const [fileId] = (await w.query(`SELECT TO_CHAR(f.file_id) FROM dba_data_files f WHERE f.tablespace_name = 'USERS' ORDER BY f.file_id`)).map(Number);
    assert.equal((await w.sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER TABLESPACE USERS BEGIN BACKUP;\n')).code, 0);
    c = await check(w);
    assert.equal(c.code, 8);
    assert.deepEqual(get(c.byId, 'backup_mode'), {
      id: 'backup_mode',
      status: 'FAIL',
      why: `datafile ${fileId} is in backup mode, not by this suite (a DBA's BEGIN BACKUP, a snapshot script?): hot_backup_ts refuses to take over such a window`,
      todo: 'find who began it; once nothing copies those files: ALTER DATABASE END BACKUP;',
    });
    // orquestra_dr runs the check first: this FAIL stops it before any window is started
    const orq = await w.tool('orquestra_dr', ['--cutoff-wait', '5'], 180_000);
    assert.equal(orq.code, 8, orq.stdout + orq.stderr);
    assert.match(orq.stderr, /\[ERROR\] FAIL  backup_mode         datafile \d+ is in backup mode, not by this suite/);
    assert.match(orq.stderr, /\norquestra_dr: preflight check failed \(backup_mode\): nothing was started\nHINT: fix each FAIL above \(its HINT line; docs\/TROUBLESHOOTING\.md, "check findings"\), see them again with bin\/check, then re-run orquestra_dr\n$/);
    assert.equal(await tmux.alive(), false, 'no tmux server (no session) was started');
    assert.equal(w.readState('scn_cutoff.DBPROD'), undefined, 'copy_archivelog was not started');
    assert.equal((await w.sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER TABLESPACE USERS END BACKUP;\n')).code, 0);

    // 3. a NOLOGGING change after the cycle's cutoff SCN → FAIL naming the file and its SCN;
    //    FORCE LOGGING on afterwards does not make it go away
    const [scn] = await w.query('SELECT TO_CHAR(current_scn) FROM v$database');
    fs.writeFileSync(path.join(w.sb.dir, 'state', 'scn_cutoff.DBPROD'), `${scn}\n`, { mode: 0o600 });
    const nl = await w.sim(['fault', 'nologging', '--file', String(fileId), '--blocks', '2']);
    assert.equal(nl.code, 0, nl.stderr);
    const { unrecoverableScn } = JSON.parse(nl.stdout) as { unrecoverableScn: number };
    assert.equal((await w.sqlplus('WHENEVER SQLERROR EXIT FAILURE\nALTER DATABASE FORCE LOGGING;\n')).code, 0);
    c = await check(w);
    assert.equal(c.code, 8);
    const [name] = await w.query(`SELECT name FROM v$datafile WHERE file# = ${fileId}`);
    assert.deepEqual(get(c.byId, 'nologging'), {
      id: 'nologging',
      status: 'FAIL',
      why: `1 datafile changed by NOLOGGING since the standby copy began (cutoff SCN ${scn}): file ${fileId} '${name}' at SCN ${unrecoverableScn}; those blocks are unrecoverable on the standby (ORA-01578/ORA-26040 when read)`,
      todo: 'ALTER DATABASE FORCE LOGGING; then copy the files again in a new backup cycle (orquestra_dr --new-cycle)',
    });
    assert.equal(get(c.byId, 'force_logging').why, 'FORCE LOGGING is on: NOLOGGING operations write full redo');
    fs.rmSync(path.join(w.sb.dir, 'state', 'scn_cutoff.DBPROD'));

    // 4. a datafile no path_map rule covers → FAIL naming it
    const cfg = fs.readFileSync(w.configFile, 'utf8');
    const mount = path.dirname(path.dirname(path.dirname(name!))); // <prod>/uNN of .../uNN/oradata/DBPROD/x.dbf
    const rules = Object.fromEntries(fs.readdirSync(w.prod).filter((d) => /^u\d\d$/.test(d) && path.join(w.prod, d) !== mount).map((d) => [path.join(w.prod, d), path.join(w.dr, d)]));
    const unmapped = (await w.query(`SELECT TO_CHAR(file#) || '|' || name FROM v$datafile ORDER BY file#`)).map((r) => r.split('|')).filter(([, n]) => n!.startsWith(mount + '/'));
    fs.writeFileSync(w.configFile, YAML.stringify({ ...(YAML.parse(cfg) as object), path_map: rules }), { mode: 0o600 });
    c = await check(w);
    const pm = get(c.byId, 'path_map');
    assert.equal(pm.status, 'FAIL');
    assert.equal(pm.why, `${unmapped.length} datafile${unmapped.length === 1 ? ' has' : 's have'} no DR path: ${unmapped.map(([id, n]) => `file ${id} '${n}'`).join(', ')}`);
    assert.match(pm.todo, /^add a path_map rule covering (it|them) \(rules now: .*\), or set unmapped_paths: same_path$/);
    fs.writeFileSync(w.configFile, cfg, { mode: 0o600 });

    // 5. a nearly full archive destination: fewer hours of redo left than the configured limit
    for (let i = 0; i < 3; i++) await w.archiveCurrent();
    w.updateConfig({ thresholds: { archive_dest_hours_left: { warning: 1e9, critical: 1e9 } } });
    c = await check(w);
    assert.equal(c.code, 8);
    const [destDir] = await w.query(`SELECT destination FROM v$archive_dest WHERE dest_id = 1`);
    const ad = get(c.byId, 'archive_dest_1');
    assert.equal(ad.status, 'FAIL');
    assert.match(ad.why, new RegExp(`^archive destination 1 \\(${destDir!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): [\\d.]+ (B|KiB|MiB|GiB|TiB) free \\([\\d.]+% used\\), \\d+ h of redo at the rate of the last \\d+ (h|min) \\([\\d.]+ (B|KiB|MiB|GiB)/h\\); less than 1000000000 h left$`));
    assert.match(ad.todo, /^free space before the archiver stops production \(ORA-00257\)/);
    fs.writeFileSync(w.configFile, cfg, { mode: 0o600 });

    // 6. a DR instance of another database (another DBID, open READ WRITE) → FAIL; then idle → WARN
    assert.equal((await other(['create', '--home', otherHome, '--sid', 'OTHER', '--root', path.join(w.sb.dir, 'other'), '--tablespaces', '1', '--datafiles', '1', '--seed', '7', '--log-size', '256K', '--noarchivelog'])).code, 0);
    assert.equal((await other(['start', '--home', otherHome, '--sid', 'OTHER'])).code, 0);
    const dbidOf = async (env: Record<string, string>) => {
      const r = await exec(['sqlplus', '-s', '-L', '/ as sysdba'], { env, input: 'SET PAGESIZE 0 FEEDBACK OFF HEADING OFF\nSELECT TO_CHAR(dbid) || \'|\' || name FROM v$database;\n', timeoutMs: 60_000 });
      return r.stdout.trim().split('|');
    };
    const [prodDbid] = await dbidOf(w.env);
    const [otherDbid, otherName] = await dbidOf(otherEnv);
    assert.notEqual(prodDbid, otherDbid);
    w.updateConfig({ check: { dr_instance: { enabled: true, oracle_sid: 'OTHER', oracle_home: otherHome } } });
    c = await check(w);
    assert.deepEqual(get(c.byId, 'dr_instance'), {
      id: 'dr_instance',
      status: 'FAIL',
      why: `the DR instance OTHER is database ${otherName} (DBID ${otherDbid}), not a standby of DBPROD (DBID ${prodDbid})`,
      todo: 'check.dr_instance.oracle_sid and oracle_home must name the standby of this database; never ship these files over another database',
    });

    // 7. production in NOARCHIVELOG (the other instance, made production for this step) → FAIL
    w.updateConfig({ oracle: { sid: 'OTHER', home: otherHome } });
    const noarch = await exec(w.toolArgv('check', ['--json']), { env: otherEnv, timeoutMs: 180_000, cwd: w.sb.dir });
    assert.equal(noarch.code, 8, noarch.stderr);
    const na = (JSON.parse(noarch.stdout) as { findings: Finding[] }).findings.find((f) => f.id === 'archivelog');
    assert.deepEqual(na, {
      id: 'archivelog',
      status: 'FAIL',
      why: 'the database is in NOARCHIVELOG mode: no redo is archived, so the standby cannot be recovered and BEGIN BACKUP fails (ORA-01123)',
      todo: 'in a maintenance window: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN;',
    });
    fs.writeFileSync(w.configFile, cfg, { mode: 0o600 });
    w.updateConfig({ check: { dr_instance: { enabled: true, oracle_sid: 'OTHER', oracle_home: otherHome } } });

    // 8. the DR instance down: idle → WARN
    await other(['crash', '--home', otherHome, '--sid', 'OTHER']);
    c = await check(w);
    assert.deepEqual(get(c.byId, 'dr_instance'), {
      id: 'dr_instance',
      status: 'WARN',
      why: 'the DR instance OTHER is not started (idle): nothing can apply the shipped logs',
      todo: 'on the DR host: STARTUP NOMOUNT; ALTER DATABASE MOUNT STANDBY DATABASE; (with the standby controlfile hot_backup_ts shipped)',
    });

    // 9. DR unreachable: the sshd stopped → dr_ssh FAIL with ssh's own words, the DR findings not checked
    await w.sshd!.dispose();
    c = await check(w);
    assert.equal(c.code, 8);
    const ssh = get(c.byId, 'dr_ssh');
    assert.equal(ssh.status, 'FAIL');
    assert.match(ssh.why, new RegExp(`^cannot reach the DR host ${w.sshd!.user}@127\\.0\\.0\\.1 \\(port ${w.sshd!.port}\\) over ssh \\(exit 255\\): .*Connection refused`));
    assert.equal(ssh.todo, 'check destination.host/user/port, the key (identity_file) and known_hosts: `ssh -p PORT USER@HOST true` must work without a password prompt');
    for (const id of ['dr_rsync', 'dr_dirs', 'dr_space', 'dr_instance']) assert.deepEqual([id, get(c.byId, id).status, get(c.byId, id).why], [id, 'SKIP', 'not checked: the DR host is unreachable (dr_ssh)']);
  } finally {
    await other(['crash', '--home', otherHome, '--sid', 'OTHER']).catch(() => undefined);
    await w.dispose();
    await tmux.kill();
  }
});

// apply_standby against the simulator's standby instance (test/sim/standby): a standby built by
// hot_backup_ts and fed by copy_archivelog is mounted, its datafiles renamed to their DR paths,
// and recovered pass after pass while production runs; status reports applied sequence, lag
// and consistency; at the end the standby verifies identical. A DR instance that is not a
// standby is refused. Logs archived into a fast recovery area (OMF names) reach DR under the
// LOG_ARCHIVE_FORMAT name recovery looks for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyAllAndVerify, buildStandby, ok, shipAll, withStandbyWorld } from './steps.ts';
import { makeWorld, waitFor } from './world.ts';

test('apply_standby mounts the standby, renames its files, recovers every shipped log while production runs, reports lag and consistency, and the standby verifies identical', async () => {
  await withStandbyWorld({ tablespaces: 4, datafiles: 8, blocks: 128, seed: 21 }, async (w, drHome) => {
    assert.equal((await w.sim(['workload', '--rate', '150'])).code, 0);
    await ok(w, 'copy_archivelog', ['--once']);
    await ok(w, 'hot_backup_ts');
    const shipped = await shipAll(w);

    const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', path.join(w.dr, 'arch')]);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    w.updateConfig({ standby: { apply: true, oracle_home: drHome, poll_seconds: 1 } });

    // first pass: the instance is down; it is started NOMOUNT, mounted as a standby, its files renamed, recovered
    await ok(w, 'apply_standby', ['--once']);
    const log1 = w.readLog('apply_standby.DBPROD.log');
    assert.match(log1, /\[INFO\] standby instance is down: STARTUP NOMOUNT then ALTER DATABASE MOUNT STANDBY DATABASE;\n/);
    assert.match(log1, /\[INFO\] renamed 8 standby datafile\(s\) to their DR paths \(path_map\), e\.g\. \S+\/prod\/u\d\d\/\S+ -> \S+\/dr\/u\d\d\/\S+\n/);
    assert.match(log1, new RegExp(`\\[INFO\\] applied thread 1 through sequence ${shipped} \\(standby at SCN \\d+, changes up to \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\); next needed: sequence ${shipped + 1}; apply lag \\d+ s\\n`));
    assert.match(log1, /\[INFO\] standby consistent: can be opened \(SCN \d+, consistent point \d+\)\n/);
    const p1 = JSON.parse(w.readState('apply_standby.DBPROD.progress.json')!) as { threads: { appliedSequence: number; nextNeeded: number }[]; consistent: boolean; lastError: string | null; lagSeconds: number };
    assert.deepEqual(p1.threads.map((t) => [t.appliedSequence, t.nextNeeded]), [[shipped, shipped + 1]]);
    assert.equal(p1.consistent, true);
    assert.equal(p1.lastError, null);
    assert.ok(p1.lagSeconds >= 0 && p1.lagSeconds < 120, String(p1.lagSeconds));

    // the status document's STANDBY block reads it
    const doc = JSON.parse((await ok(w, 'status', ['--json'])).stdout) as { databases: { standby: { configured: boolean; consistent: boolean; lastError: string | null; threads: { appliedSequence: number }[] } }[] };
    const sb = doc.databases[0]!.standby;
    assert.equal(sb.configured, true);
    assert.equal(sb.consistent, true);
    assert.equal(sb.lastError, null);
    assert.equal(sb.threads[0]!.appliedSequence, shipped);

    // production goes on; the loop keeps the standby within the shipped logs
    const loop = w.toolArgv('apply_standby');
    const { spawn } = await import('node:child_process');
    const child = spawn(loop[0]!, loop.slice(1), { env: w.env, stdio: 'ignore', cwd: w.sb.dir });
    let later = shipped;
    try {
      for (let i = 0; i < 3; i++) later = await shipAll(w);
      await waitFor(`sequence ${later} applied`, () => {
        const p = JSON.parse(w.readState('apply_standby.DBPROD.progress.json') ?? '{"threads":[]}') as { threads: { appliedSequence: number }[] };
        return (p.threads[0]?.appliedSequence ?? 0) >= later || undefined;
      }, 60_000, 200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }

    await applyAllAndVerify(w, drHome);
  });
});

test('a datafile added on production after the standby was built: apply_standby creates it at its DR path and recovery goes on without a person', async () => {
  await withStandbyWorld({ tablespaces: 2, datafiles: 4, blocks: 64, seed: 23 }, async (w, drHome) => {
    await buildStandby(w, drHome);

    const added = path.join(w.prod, 'u04', 'oradata', 'DBPROD', 'users02.dbf');
    const add = await w.sim(['sql', `ALTER TABLESPACE USERS ADD DATAFILE '${added}' SIZE 1M`]);
    assert.equal(add.code, 0, add.stdout + add.stderr);
    const [id] = await w.query(`SELECT TO_CHAR(file_id) FROM dba_data_files WHERE file_name = '${added}'`);
    await applyAllAndVerify(w, drHome);
    assert.match(
      w.readLog('apply_standby.DBPROD.log'),
      new RegExp(`\\[INFO\\] datafile ${id} was added on production as ${added.replace(/[.]/g, '\\.')}: created on the standby as ${path.join(w.dr, 'u14', 'oradata', 'DBPROD', 'users02.dbf').replace(/[.]/g, '\\.')}; recovery goes on\n`),
    );
  });
});

test('a DR drill opens the standby read only at the last shipped log, apply pauses meanwhile, --drill-close returns it to recovery; read/write is refused', async () => {
  await withStandbyWorld({ tablespaces: 2, datafiles: 4, blocks: 64, seed: 24 }, async (w, drHome) => {
    await buildStandby(w, drHome);

    const rw = await w.tool('apply_standby', ['--drill-open', '--read-write']);
    assert.equal(rw.code, 8);
    assert.equal(
      rw.stderr,
      "apply_standby: apply_standby never opens the standby read/write (or with RESETLOGS): that ends it as a standby; it could never apply production's redo again, and a new cycle would have to copy every datafile\n" +
        'HINT: for a DR test use --drill-open (read only), then --drill-close; a real failover (ALTER DATABASE ACTIVATE STANDBY DATABASE or OPEN RESETLOGS) is a decision for a person: docs/DEPLOYMENT.md §7\n',
    );

    const opened = await shipAll(w);
    await ok(w, 'apply_standby', ['--drill-open']);
    assert.match(
      w.readLog('apply_standby.DBPROD.log'),
      new RegExp(`\\[INFO\\] drill: the standby is open READ ONLY at SCN \\d+ \\(thread 1 through sequence ${opened}, changes up to \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d; \\d+ s behind now\\); no redo is applied while it is open: end the drill with apply_standby --drill-close\n`),
    );
    const mode = await w.sim(['sql', '--home', drHome, '--sid', 'DBPROD', 'SELECT open_mode FROM v$database']);
    assert.match(mode.stdout, /READ ONLY/);

    // production goes on during the drill: logs are shipped, not applied
    await shipAll(w);
    await ok(w, 'apply_standby', ['--once']);
    assert.match(w.readLog('apply_standby.DBPROD.log'), /\[WARN\] the standby is open READ ONLY \(a drill\?\): no recovery while it is open\n/);

    await ok(w, 'apply_standby', ['--drill-close']);
    const log = w.readLog('apply_standby.DBPROD.log');
    assert.match(log, /\[INFO\] drill: the standby was shut down \(SHUTDOWN IMMEDIATE\)\n.*\[INFO\] standby instance is down: STARTUP NOMOUNT then ALTER DATABASE MOUNT STANDBY DATABASE;\n/s);
    assert.match(log, /\[INFO\] drill over: the standby is mounted and recovering again\n/);

    await applyAllAndVerify(w, drHome);
  });
});

test("production archives into a fast recovery area (OMF names): copy_archivelog ships each log under LOG_ARCHIVE_FORMAT's name, the one RECOVER AUTOMATIC on the standby looks for, and the standby recovers and verifies identical", async () => {
  await withStandbyWorld({ tablespaces: 2, datafiles: 3, blocks: 64, seed: 25 }, async (w, drHome) => {
    assert.equal((await w.sim(['fault', 'omf-dest', '--dest', '1'])).code, 0);
    await buildStandby(w, drHome);
    const seq = await shipAll(w);
    const [name, rid] = (await w.query(`SELECT name || '|' || TO_CHAR(resetlogs_id) FROM v$archived_log WHERE dest_id = 1 AND sequence# = ${seq}`))[0]!.split('|') as [string, string];
    assert.match(name, /\/DBPROD\/archivelog\/\d{4}_\d\d_\d\d\/o1_mf_1_\d+_[a-z0-9]{8}_\.arc$/);
    assert.ok(
      w.readLog('copy_archivelog.DBPROD.log').includes(`shipped thread 1 sequence ${seq} (${name} from destination 1, `) &&
        new RegExp(`\\) as 1_${seq}_${rid}\\.dbf \\(LOG_ARCHIVE_FORMAT %t_%s_%r\\.dbf: the name the standby's recovery looks for\\)\\n`).test(w.readLog('copy_archivelog.DBPROD.log')),
      w.readLog('copy_archivelog.DBPROD.log'),
    );
    const onDr = fs.readdirSync(path.join(w.dr, 'arch'));
    assert.ok(onDr.includes(`1_${seq}_${rid}.dbf`), onDr.join(' '));
    assert.deepEqual(onDr.filter((f) => f.startsWith('o1_mf_')), [], 'no OMF name on DR');
    await applyAllAndVerify(w, drHome);
  });
});

test('apply_standby refuses a DR instance that is not a standby, with what to do', async () => {
  const w = await makeWorld({ tablespaces: 2, datafiles: 3, blocks: 64, seed: 22 });
  try {
    // standby.oracle_home points at production's own (primary) instance: a mistake apply_standby must not act on
    w.updateConfig({ standby: { apply: true, oracle_home: w.home, run_on: 'local' } });
    const r = await w.tool('apply_standby', ['--once']);
    assert.equal(r.code, 8, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      'apply_standby: the DR instance is a PRIMARY (controlfile CURRENT), not a physical standby: apply_standby only recovers a standby\n' +
        'HINT: mount the DR instance with the standby controlfile hot_backup_ts shipped (STARTUP NOMOUNT; ALTER DATABASE MOUNT STANDBY DATABASE); if it was opened read/write or with RESETLOGS it can no longer be recovered: build it again with a new cycle (bin/orquestra_dr --new-cycle)\n',
    );
  } finally {
    await w.dispose();
  }
});

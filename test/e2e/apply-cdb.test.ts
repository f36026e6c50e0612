// apply_standby on the standby of a container database (root, PDB$SEED and two PDBs, one of them
// the quoted lower-case "hr_app") while production runs a workload in every container: the apply
// loop keeps the standby within a few sequences of production and what it reports (progress file,
// status --json) is what the simulator knows (the standby's applied log and SCN, production's
// archived and current sequence and the time of the first change not applied yet); a datafile
// added inside a PDB mid-workload is created on the standby by the loop (in that PDB's container)
// and recovery goes on without a person; at the end every container verifies identical, and the
// next backup cycle copies the new file under that PDB's marker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ok, shipAll, withStandbyWorld } from './steps.ts';
import { waitFor, type World } from './world.ts';

const POLL_SECONDS = 1;



/** One value from the standby instance (sim sql against DR's ORACLE_HOME). */
async function standbyValue(w: World, drHome: string, sql: string): Promise<string> {
  const r = await w.sim(['sql', '--home', drHome, '--sid', 'DBPROD', sql]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return String((JSON.parse(r.stdout) as { rows: unknown[][] }).rows[0]![0]);
}

interface Truth {
  /** the last log the standby applied (its V$LOG_HISTORY) and the SCN it is recovered to */
  standbyApplied: number;
  standbyScn: string;
  /** production: newest archived sequence, current sequence, and when the first change the standby lacks was made (NEXT_TIME of its last applied log) */
  prodArchived: number;
  prodCurrent: number;
  appliedUpTo: string;
}

async function truth(w: World, drHome: string): Promise<Truth> {
  const standbyApplied = Number(await standbyValue(w, drHome, 'SELECT MAX(sequence#) FROM v$log_history'));
  const standbyScn = await standbyValue(w, drHome, 'SELECT TO_CHAR(current_scn) FROM v$database');
  const [arch] = await w.query('SELECT TO_CHAR(MAX(sequence#)) FROM v$archived_log WHERE dest_id = 1');
  const [cur] = await w.query(`SELECT TO_CHAR(sequence#) FROM v$log WHERE status = 'CURRENT'`);
  const [upTo] = await w.query(`SELECT TO_CHAR(next_time, 'YYYY-MM-DD HH24:MI:SS') FROM v$archived_log WHERE dest_id = 1 AND sequence# = ${standbyApplied}`);
  return { standbyApplied, standbyScn, prodArchived: Number(arch), prodCurrent: Number(cur), appliedUpTo: upTo! };
}

interface Progress { updatedAt: string; lagSeconds: number; lastError: string | null; threads: { appliedSequence: number; appliedScn: string; appliedTime: string; nextNeeded: number }[] }
interface StatusStandby { observedAt: string; lagSequences: number; lagSeconds: number; threads: { appliedSequence: number; lagSequences: number }[] }

const progressOf = (w: World) => JSON.parse(w.readState('apply_standby.DBPROD.progress.json') ?? '{"threads":[]}') as Progress;
const dbTime = (s: string) => new Date(s.replace(' ', 'T')).getTime(); // database time = this host's local time

/**
 * The loop has applied `last`: compare what it reports with the simulator. Production makes no log
 * switch of its own here (logs of 8 MB, switched by the test): the truth read before and after the
 * report is the same, so sequences must match exactly. Seconds: the loop rewrites lagSeconds on
 * every poll as (its clock - appliedTime); the report is therefore up to one poll interval (plus
 * the pass itself and 1 s of rounding, database times having whole seconds) older than the moment
 * the test reads the progress file: -1 <= truth - reported <= POLL_SECONDS + 2. And at the moment
 * of the report itself (its updatedAt, status's observedAt) the two agree within the rounding (1 s).
 */
async function assertReportMatchesTruth(w: World, drHome: string, last: number): Promise<void> {
  const before = await truth(w, drHome);
  const p = progressOf(w);
  const readAt = Date.now();
  const doc = JSON.parse((await ok(w, 'status', ['--json'])).stdout) as { databases: { standby: StatusStandby }[] };
  const after = await truth(w, drHome);
  assert.deepEqual(after, before, 'production switched a log or the standby moved while the report was read');
  const t = after;
  assert.equal(t.standbyApplied, last);
  assert.ok(t.prodCurrent - t.standbyApplied <= 3, `standby ${t.standbyApplied} is more than a few sequences behind production (current ${t.prodCurrent})`);

  const th = p.threads[0]!;
  assert.equal(p.lastError, null);
  assert.equal(th.appliedSequence, t.standbyApplied);
  assert.equal(th.nextNeeded, t.standbyApplied + 1);
  assert.equal(th.appliedScn, t.standbyScn);
  assert.equal(th.appliedTime, t.appliedUpTo);
  // the reported lag is the lag at the moment of the report
  const atReport = Math.round((Date.parse(p.updatedAt) - dbTime(t.appliedUpTo)) / 1000);
  assert.ok(Math.abs(p.lagSeconds - atReport) <= 1, `lagSeconds ${p.lagSeconds} at ${p.updatedAt}; the simulator says ${atReport}`);
  const now = Math.round((readAt - dbTime(t.appliedUpTo)) / 1000);
  assert.ok(now - p.lagSeconds >= -1 && now - p.lagSeconds <= POLL_SECONDS + 2, `lagSeconds ${p.lagSeconds}; the simulator says ${now} s now`);

  const sb = doc.databases[0]!.standby;
  assert.equal(sb.threads[0]!.appliedSequence, t.standbyApplied);
  assert.equal(sb.lagSequences, t.prodArchived - t.standbyApplied);
  // status passes on the progress file it read (observedAt = its updatedAt): the lag at that moment
  const atObserved = Math.round((Date.parse(sb.observedAt) - dbTime(t.appliedUpTo)) / 1000);
  assert.ok(Math.abs(sb.lagSeconds - atObserved) <= 1, `status lagSeconds ${sb.lagSeconds} observed at ${sb.observedAt}; the simulator says ${atObserved}`);
}

test('CDB: the apply loop keeps the standby within a few sequences under a workload, reports the lag the simulator knows, creates a datafile added in a PDB without a person; every container verifies identical', async () => {
  await withStandbyWorld({ cdb: { pdbs: 2, pdbNames: 'PDB1,hr_app' }, tablespaces: 2, datafiles: 4, blocks: 48, seed: 31, logSize: '8M' }, async (w, drHome) => {
    assert.equal((await w.sim(['workload', '--rate', '200'])).code, 0);
    await ok(w, 'copy_archivelog', ['--once']);
    await ok(w, 'hot_backup_ts');
    await shipAll(w);
    const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', path.join(w.dr, 'arch')]);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    w.updateConfig({ standby: { apply: true, oracle_home: drHome, poll_seconds: POLL_SECONDS } });
    await ok(w, 'apply_standby', ['--once']);
    const [files] = await w.query('SELECT TO_CHAR(COUNT(*)) FROM v$datafile');
    assert.match(w.readLog('apply_standby.DBPROD.log'), new RegExp(`\\[INFO\\] renamed ${files} standby datafile\\(s\\) to their DR paths \\(path_map\\)`));

    const loop = w.toolArgv('apply_standby');
    const child = spawn(loop[0]!, loop.slice(1), { env: w.env, stdio: 'ignore', cwd: w.sb.dir });
    const applied = (seq: number) => waitFor(`sequence ${seq} applied`, () => (progressOf(w).threads[0]?.appliedSequence ?? 0) >= seq || undefined, 60_000, 200);
    let added = '';
    try {
      for (let i = 0; i < 2; i++) {
        const last = await shipAll(w);
        await applied(last);
        await new Promise((r) => setTimeout(r, 1500)); // a few idle polls: the lag grows, the report follows
        await assertReportMatchesTruth(w, drHome, last);
      }

      // a datafile added inside hr_app while the workload runs
      const [hrUsers] = await w.query(`SELECT d.name FROM v$datafile d JOIN v$tablespace t ON t.con_id = d.con_id AND t.ts# = d.ts# WHERE d.con_id = 4 AND t.name = 'USERS'`);
      added = path.join(path.dirname(hrUsers!), 'users02.dbf');
      const add = await w.sim(['sql', '--container', 'hr_app', `ALTER TABLESPACE USERS ADD DATAFILE '${added}' SIZE 1M`]);
      assert.equal(add.code, 0, add.stdout + add.stderr);
      const last = await shipAll(w);
      await applied(last);
      const [id] = await w.query(`SELECT TO_CHAR(file#) || ' ' || TO_CHAR(con_id) FROM v$datafile WHERE name = '${added}'`);
      const [fileNo, conId] = id!.split(' ');
      assert.equal(conId, '4');
      const rel = path.relative(w.prod, added).split(path.sep);
      const drAdded = path.join(w.dr, `u${Number(rel[0]!.slice(1)) + 10}`, ...rel.slice(1));
      assert.match(
        w.readLog('apply_standby.DBPROD.log'),
        new RegExp(`\\[INFO\\] datafile ${fileNo} was added on production as ${esc(added)} \\(container hr_app\\): created on the standby as ${esc(drAdded)}; recovery goes on\\n`),
      );
      assert.equal(await standbyValue(w, drHome, `SELECT name FROM v$datafile WHERE file# = ${fileNo}`), drAdded);
      await new Promise((r) => setTimeout(r, 1500));
      await assertReportMatchesTruth(w, drHome, last);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }

    // workload stopped, everything shipped and applied: every container of the standby verifies identical
    assert.equal((await w.sim(['workload', '--stop'])).code, 0);
    const last = await shipAll(w);
    await ok(w, 'apply_standby', ['--once']);
    assert.equal(progressOf(w).threads[0]!.appliedSequence, last);
    assert.equal((await w.sim(['stop', '--home', drHome, '--sid', 'DBPROD'])).code, 0);
    const v = await w.sim(['verify', '--home', drHome, '--sid', 'DBPROD']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const [allFiles] = await w.query('SELECT TO_CHAR(COUNT(*)) FROM v$datafile');
    assert.equal(Number(allFiles), Number(files) + 1);
    assert.match(v.stdout, new RegExp(`^verify: ${allFiles} files, \\d+ blocks identical at SCN \\d+$`, 'm'));

    // the next cycle copies the new file, under hr_app's USERS marker
    await ok(w, 'copy_archivelog', ['--once', '--new-cutoff']);
    await ok(w, 'hot_backup_ts');
    const marker = JSON.parse(w.readState('ts_DBPROD.hr_app.USERS.done')!) as { container: string; files: { source: string }[] };
    assert.equal(marker.container, 'hr_app');
    assert.ok(marker.files.some((f) => f.source === added), JSON.stringify(marker.files));
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

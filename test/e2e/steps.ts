// Steps several e2e tests share: ship every archived log with one copy_archivelog pass, and
// then recover and verify the standby with the simulator; build a standby instance that
// apply_standby recovers, and end such a test with everything applied and verified.
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeWorld, type World } from './world.ts';

/** A world for one test, disposed afterwards whatever happens. */
export async function withWorld(opts: Parameters<typeof makeWorld>[0], fn: (w: World) => Promise<void>): Promise<void> {
  const w = await makeWorld(opts);
  try {
    await fn(w);
  } finally {
    await w.dispose();
  }
}

/** withWorld with the DR instance's ORACLE_HOME (<dr>/oh): that instance is stopped (SHUTDOWN ABORT) before the world goes. */
export async function withStandbyWorld(opts: Parameters<typeof makeWorld>[0], fn: (w: World, drHome: string) => Promise<void>): Promise<void> {
  await withWorld(opts, async (w) => {
    const drHome = path.join(w.dr, 'oh');
    try {
      await fn(w, drHome);
    } finally {
      await w.sim(['crash', '--home', drHome, '--sid', 'DBPROD']).catch(() => undefined);
    }
  });
}

/** Runs a tool that must succeed; its output. */
export async function ok(w: World, bin: Parameters<World['tool']>[0], args: string[] = []): Promise<{ stdout: string; stderr: string }> {
  const r = await w.tool(bin, args);
  assert.equal(r.code, 0, `${bin} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}

/** Archives the current log and ships everything with `copy_archivelog --once`; returns the last sequence. */
export async function shipAll(w: World): Promise<number> {
  const last = await w.archiveCurrent();
  const r = await w.tool('copy_archivelog', ['--once']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), last);
  return last;
}

/** shipAll, then the DR copy recovers and verifies identical. */
export async function shipAndRecover(w: World): Promise<void> {
  await shipAll(w);
  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
}

/** A cycle under a workload, every log shipped, the DR instance created (sim standby-init), apply configured and run once. */
export async function buildStandby(w: World, drHome: string): Promise<void> {
  assert.equal((await w.sim(['workload', '--rate', '100'])).code, 0);
  for (const [bin, args] of [['copy_archivelog', ['--once']], ['hot_backup_ts', []]] as const) {
    const r = await w.tool(bin, [...args]);
    assert.equal(r.code, 0, `${bin}: ${r.stdout}${r.stderr}`);
  }
  await shipAll(w);
  const init = await w.sim(['standby-init', '--home', drHome, '--sid', 'DBPROD', '--controlfile', path.join(w.dr, 'ctl', 'standby.ctl'), '--archive-dest', path.join(w.dr, 'arch')]);
  assert.equal(init.code, 0, init.stdout + init.stderr);
  w.updateConfig({ standby: { apply: true, oracle_home: drHome } });
  const a = await w.tool('apply_standby', ['--once']);
  assert.equal(a.code, 0, a.stdout + a.stderr);
}

/** The end of a standby test: workload stopped, everything shipped and applied, the standby verifies identical. */
export async function applyAllAndVerify(w: World, drHome: string): Promise<void> {
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  const last = await shipAll(w);
  const a = await w.tool('apply_standby', ['--once']);
  assert.equal(a.code, 0, a.stdout + a.stderr);
  assert.match(w.readLog('apply_standby.DBPROD.log'), new RegExp(`applied thread 1 through sequence ${last} `));
  assert.equal((await w.sim(['stop', '--home', drHome, '--sid', 'DBPROD'])).code, 0);
  const v = await w.sim(['verify', '--home', drHome, '--sid', 'DBPROD']);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const [files] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM dba_data_files`);
  assert.match(v.stdout, new RegExp(`^verify: ${files} files, \\d+ blocks identical at SCN \\d+$`, 'm'));
}

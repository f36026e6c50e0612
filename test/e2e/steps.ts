// Steps several e2e tests share: ship every archived log with one copy_archivelog pass, and
// then recover and verify the standby with the simulator.
import assert from 'node:assert/strict';
import type { World } from './world.ts';

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

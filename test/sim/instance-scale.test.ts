// Scale and throughput: 100 tablespaces / 750 datafiles, and the redo rate of the workload.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));

describe('scale', () => {
  it('creates 100 tablespaces / 750 datafiles and answers a datafile listing', async (t) => {
    const t0 = Date.now();
    const sb = sandbox(['--tablespaces', '95', '--datafiles', '750', '--size', '16', '--skew', '1']);
    boxes.push(sb);
    const created = Date.now() - t0;
    assert.equal(sb.sim('start').code, 0);
    const [[n, tsCount]] = await sb.rows('select count(*), count(distinct tablespace_name) from dba_data_files');
    assert.equal(Number(n), 750);
    assert.equal(Number(tsCount), 99); // 100 tablespaces, TEMP has tempfiles only
    const [[nts]] = await sb.rows('select count(*) from v$tablespace');
    assert.equal(Number(nts), 100);
    const listing = await sb.rows('select file#, name from v$datafile order by file#');
    assert.equal(listing.length, 750);
    assert.equal(listing[749]![0], 750);
    t.diagnostic(`create 750 datafiles: ${created} ms (incl. CLI start)`);
  });

  it('measures the redo rate of the workload', async (t) => {
    const sb = sandbox(['--tablespaces', '4', '--datafiles', '12', '--size', '2M', '--log-size', '2M']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 5000 });
    await new Promise((r) => setTimeout(r, 4000));
    const s = await sb.admin({ cmd: 'status' });
    const mbPerMin = (s.workload.redoBytes / 2 ** 20) * (60 / s.workload.seconds);
    t.diagnostic(`redo: ${mbPerMin.toFixed(1)} MiB/min at rate 5000 changes/s (${s.workload.changes} changes in ${s.workload.seconds.toFixed(1)} s)`);
    assert.ok(s.workload.redoBytes > 0);
    // the first 2 MiB log fills after ~3.5 s at this rate (less on a busy machine): wait for ARCn rather than for a fixed time
    let archived = 0;
    for (let i = 0; i < 200 && archived < 1; i++) {
      archived = Number((await sb.rows('select count(*) from v$archived_log'))[0]![0]);
      if (archived < 1) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(archived >= 1, 'ARCn archived the first filled log');
  });
});

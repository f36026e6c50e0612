// ORA-00279 "change <scn> generated at <time> needed for thread 1" names the time the change was
// made on production, not the time of the RECOVER: when recovery stops at a log not shipped yet,
// the change it needs is the first one after the last applied log, made at that log's NEXT_TIME
// (Oracle Database Error Messages 19c, ORA-00279: "change string generated at string needed for
// thread string" - the time belongs to the change). apply_standby's apply lag is computed from it.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';
import { shipNewLogs, standbyInit, type Standby } from './standby/testkit.ts';

const boxes: Sandbox[] = [];
const standbys: Standby[] = [];
after(() => {
  standbys.forEach((s) => s.cleanup());
  boxes.forEach((b) => b.cleanup());
});

describe('standby instance: the time of the change recovery needs', () => {
  it('after the last shipped log, ORA-00279 gives that log\'s NEXT_TIME, however long after it RECOVER runs', async () => {
    const sb = sandbox(['--tablespaces', '1', '--datafiles', '2', '--size', '32', '--log-size', '64K']);
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 300 });
    const { controlfile } = await manualBackup(sb);
    await sb.admin({ cmd: 'workload', stop: true });
    const st = standbyInit(sb, controlfile);
    standbys.push(st);
    const p = st.sqlplus();
    await p.run('startup nomount', { cmd: true });
    await p.exec('alter database mount standby database');
    await sb.sql('alter system archive log current');
    shipNewLogs(sb);
    const [[last, nextTime]] = (await sb.rows("select sequence#, to_char(next_time, 'MM/DD/YYYY HH24:MI:SS') from v$archived_log where dest_id = 1 and sequence# = (select max(sequence#) from v$archived_log where dest_id = 1)")) as [[number, string]];
    await new Promise((r) => setTimeout(r, 2200));
    for (let pass = 0; pass < 2; pass++) {
      // the same answer from the pass that applies the log and from a later pass that applies nothing
      const lines = (await p.run('recover automatic standby database\ncancel', { cmd: true })).lines;
      assert.equal(lines.at(-1), 'Media recovery cancelled.', lines.join('\n'));
      const need = lines.filter((l) => l.startsWith('ORA-00279')).at(-1);
      assert.equal(need?.replace(/^ORA-00279: change \d+ /, ''), `generated at ${nextTime} needed for thread 1`, lines.join('\n'));
      assert.ok(lines.includes(`ORA-00280: change ${/change (\d+)/.exec(need!)![1]} for thread 1 is in sequence #${Number(last) + 1}`), lines.join('\n'));
      await new Promise((r) => setTimeout(r, 1100));
    }
  });
});

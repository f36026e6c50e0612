// Strict mode (the default): a datafile copied while the database was open, the file online
// read-write and NOT in backup mode, never recovers, even when the copy happens to hold no
// torn block. A cold copy (clean shutdown) still recovers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { convertArg, copyTo, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';
import { recoverStandby } from './recover.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const small = (seed: number) => ['--tablespaces', '1', '--datafiles', '5', '--size', '32', '--seed', String(seed), '--log-size', '64K'];

describe('strict mode (item 5)', () => {
  it('a copy without BEGIN BACKUP under load fails recovery for each of 12 seeds', async () => {
    const one = async (seed: number): Promise<string> => {
      const sb = sandbox(small(seed));
      boxes.push(sb);
      assert.equal((await sb.simAsync('start')).code, 0);
      await sb.admin({ cmd: 'workload', rate: 1500 });
      await sleep(150);
      const { controlfile } = await manualBackup(sb, { skipBeginBackup: true, logFilter: '1 = 1' });
      const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
      await sb.simAsync('crash');
      if (r.ok) return `seed ${seed}: RECOVERED\n${r.lines.slice(-3).join('\n')}`;
      if (r.lines.some((l) => /^ORA-01578: ORACLE data block corrupted \(file # \d+, block # \d+\)$/.test(l))) return `seed ${seed}: torn block`;
      const at = r.lines.indexOf('ORA-01547: warning: RECOVER succeeded but OPEN RESETLOGS would get error below');
      assert.ok(at >= 0, `seed ${seed}:\n${r.lines.join('\n')}`);
      const file = /^ORA-01194: file (\d+) needs more recovery to be consistent$/.exec(r.lines[at + 1] ?? '')?.[1];
      assert.ok(file, `seed ${seed}:\n${r.lines.join('\n')}`);
      assert.match(r.lines[at + 2]!, new RegExp(`^ORA-01110: data file ${file}: '.*'$`));
      assert.match(r.lines[at + 3]!, new RegExp(`^\\(sim strict: file ${file} was copied while the database was open and the file was not in backup mode \\(header online fuzzy at checkpoint SCN \\d+\\); no END BACKUP marker can make this copy consistent: copy it again between BEGIN BACKUP and END BACKUP\\)$`));
      return `seed ${seed}: online fuzzy`;
    };
    const outcomes: string[] = [];
    // three instances at a time: each runs its own workload in its own process
    for (let seed = 101; seed <= 112; seed += 3) outcomes.push(...(await Promise.all([seed, seed + 1, seed + 2].map(one))));
    assert.equal(outcomes.length, 12);
    assert.deepEqual(outcomes.filter((o) => o.includes('RECOVERED')), [], outcomes.join('\n'));
  });

  it('a cold copy (clean shutdown) recovers through the logs written after the restart, and verifies', async () => {
    const sb = sandbox(small(120));
    boxes.push(sb);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 1500 });
    await sleep(300);
    await sb.admin({ cmd: 'workload', stop: true });
    const files = (await sb.rows('select name from v$datafile')).map((r) => String(r[0]));
    assert.equal(sb.sim('stop').code, 0);
    for (const f of files) copyTo(sb, f);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 1500 });
    await sleep(300);
    await sb.admin({ cmd: 'workload', stop: true });
    await sb.sql('alter system archive log current');
    const controlfile = path.join(sb.dr, 'standby.ctl');
    await sb.sql(`alter database create standby controlfile as '${controlfile}'`);
    for (const [name] of await sb.rows('select name from v$archived_log where dest_id = 1')) fs.copyFileSync(String(name), path.join(sb.drArch, path.basename(String(name))));
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, true, r.lines.join('\n'));
    assert.ok(r.applied.length >= 1, r.lines.join('\n'));
    const v = verifyStandby({ controlfile, convert: convertArg(sb) });
    assert.equal(v.ok, true, v.lines.join('\n'));
  });
});

// Each wrong backup procedure is caught: recovery fails or verify reports differing blocks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { blockDefect } from './instance/block.ts';
import { recoverStandby } from './recover.ts';
import { verifyStandby } from './verify.ts';
import { convertArg, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function started(seed: number, extra: string[] = []): Promise<Sandbox> {
  const sb = sandbox(['--tablespaces', '2', '--datafiles', '7', '--size', '64', '--seed', String(seed), '--log-size', '64K', ...extra]);
  boxes.push(sb);
  assert.equal(sb.sim('start').code, 0);
  await sb.admin({ cmd: 'workload', rate: 1500 });
  await sleep(200);
  return sb;
}

describe('wrong procedures are caught', () => {
  it('copy without BEGIN BACKUP with a fractured block fails recovery naming file# and block# (lenient mode: the torn block alone is detected)', async () => {
    const sb = await started(11, ['--lenient']);
    let held: any;
    const { controlfile } = await manualBackup(sb, {
      skipBeginBackup: true,
      beforeCopy: async (ts) => {
        if (ts === 'USERS') held = (await sb.admin({ cmd: 'fault', fault: 'fracture', file: 4 })).held;
      },
      afterCopy: async (ts) => {
        if (ts === 'USERS') await sb.admin({ cmd: 'fault', fault: 'release' });
      },
      logFilter: '1 = 1',
    });
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, false, r.lines.join('\n'));
    // Recovery stops at the first torn block it meets. Under load the copy may hold torn blocks
    // besides the forced one, so the test requires that the block named is torn in the copy,
    // and that the forced one is torn there too (no full image exists to repair it).
    const named = r.lines.map((l) => /^ORA-01578: ORACLE data block corrupted \(file # (\d+), block # (\d+)\)$/.exec(l)).find(Boolean);
    assert.ok(named, r.lines.join('\n'));
    const [file, block] = [Number(named[1]), Number(named[2])];
    const copyPath = /^ORA-01110: data file \d+: '(.*)'$/.exec(r.lines.find((l) => l.startsWith(`ORA-01110: data file ${file}:`))!)![1];
    const readBlock = (n: number) => {
      const buf = Buffer.alloc(8192);
      const fd = fs.openSync(copyPath, 'r');
      fs.readSync(fd, buf, 0, 8192, n * 8192);
      fs.closeSync(fd);
      return buf;
    };
    assert.equal(file, held.file, r.lines.join('\n'));
    assert.match(blockDefect(readBlock(block), file, block) ?? 'intact', /^fractured block/, `block ${block} named by recovery`);
    assert.match(blockDefect(readBlock(held.block), held.file, held.block) ?? 'intact', /^fractured block/, `forced block ${held.block}`);
  });

  it('omitting the log with FIRST_CHANGE# < cutoff < NEXT_CHANGE# stops with ORA-00279/ORA-00308', async () => {
    const sb = await started(12);
    const { controlfile, cutoff, shipped } = await manualBackup(sb, { logFilter: 'first_change# >= :cutoff' });
    const [[seq]] = await sb.rows(`select sequence# from v$archived_log where dest_id = 1 and first_change# < ${cutoff} and next_change# > ${cutoff}`);
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, false);
    assert.ok(r.lines.some((l) => l.startsWith(`ORA-00279: change ${cutoff} generated at`)), `cutoff ${cutoff} shipped ${shipped} missing ${seq}\n` + r.lines.join('\n'));
    assert.ok(r.lines.includes(`ORA-00280: change ${cutoff} for thread 1 is in sequence #${seq}`), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => l.startsWith('ORA-00308: cannot open archived log') && l.includes(`1_${seq}_`)));
  });

  it('stopping before the END BACKUP marker leaves the file fuzzy (ORA-01547/ORA-01195)', async () => {
    const sb = await started(13);
    let lastBeforeEnd = 0;
    const { controlfile } = await manualBackup(sb, {
      afterCopy: async (ts) => {
        if (ts !== 'USERS') return;
        await sb.sql('alter system archive log current');
        const [[s]] = await sb.rows('select max(sequence#) from v$archived_log');
        lastBeforeEnd = Number(s);
      },
    });
    // ship only what existed before END BACKUP of USERS
    for (const f of fs.readdirSync(sb.drArch)) if (Number(f.split('_')[1]) > lastBeforeEnd) fs.rmSync(path.join(sb.drArch, f));
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, false, r.lines.join('\n'));
    assert.ok(r.lines.includes('ORA-01547: warning: RECOVER succeeded but OPEN RESETLOGS would get error below'), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => /^ORA-01195: online backup of file \d+ needs more recovery to be consistent$/.test(l)));
  });

  it('a NOLOGGING change makes blocks unrecoverable: verify reports them', async () => {
    const sb = await started(14);
    const { controlfile, shipped } = await manualBackup(sb, {
      afterCopy: async (ts) => {
        if (ts === 'USERS') await sb.admin({ cmd: 'fault', fault: 'nologging', file: 4, blocks: 3 });
      },
    });
    void shipped;
    const [[unrec]] = await sb.rows('select unrecoverable_change# from v$datafile where file# = 4');
    assert.ok(Number(unrec) > 0);
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, true, `shipped ${shipped} applied ${r.applied} ` + fs.readdirSync(sb.drArch).join(' ') + '\n' + r.lines.join('\n'));
    assert.ok(r.invalidated.length >= 1);
    const v = verifyStandby({ controlfile, convert: convertArg(sb) });
    assert.equal(v.ok, false);
    assert.ok(v.diffs.some((d) => d.file === 4 && /NOLOGGING/.test(d.why)), v.lines.join('\n'));
  });

  it('a missing sequence in the middle stops recovery naming it', async () => {
    const sb = await started(15);
    const { controlfile, shipped } = await manualBackup(sb, { afterCopy: async () => { await sleep(100); } });
    assert.ok(shipped.length >= 3, `need 3+ logs, got ${shipped}`);
    const gap = shipped[1]!;
    const victim = fs.readdirSync(sb.drArch).find((f) => f.split('_')[1] === String(gap))!;
    fs.rmSync(path.join(sb.drArch, victim));
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, false);
    assert.ok(r.lines.some((l) => l.startsWith('ORA-00308') && l.includes(`1_${gap}_`)), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => l.endsWith(`is in sequence #${gap}`)));
  });
});

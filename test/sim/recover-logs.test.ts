// Archived logs on the standby: RECOVER AUTOMATIC opens only the name it suggests
// (FROM directory + LOG_ARCHIVE_FORMAT), checks that the file is that log, and reads every
// record the header announces. A damaged, foreign or misplaced log stops recovery.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeLogHeader, encodeLogHeader, REDO_BLOCK } from './instance/redo-format.ts';
import { convertArg, manualBackup, sandbox, shippedLog, snapshotDr, type Sandbox } from './instance/testkit.ts';
import { recoverStandby } from './recover.ts';

let sb: Sandbox;
let controlfile: string;
let shipped: number[];
let restore: () => void;

before(async () => {
  sb = sandbox(['--tablespaces', '1', '--datafiles', '5', '--size', '48', '--seed', '21', '--log-size', '64K']);
  assert.equal(sb.sim('start').code, 0);
  await sb.admin({ cmd: 'workload', rate: 1500 });
  await new Promise((r) => setTimeout(r, 200));
  ({ controlfile, shipped } = await manualBackup(sb, { afterCopy: async () => { await new Promise((r) => setTimeout(r, 60)); } }));
  await sb.admin({ cmd: 'workload', stop: true });
  assert.ok(shipped.length >= 3, `need 3+ shipped logs, got ${shipped}`);
  restore = snapshotDr(sb);
});
after(() => sb?.cleanup());

const recover = () => recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
const rewriteLogHeader = (file: string, patch: object) => {
  const buf = fs.readFileSync(file);
  const h = decodeLogHeader(buf)!;
  encodeLogHeader({ ...h, ...patch }).copy(buf, 0);
  fs.writeFileSync(file, buf);
};

describe('the correct copy recovers (baseline of every case below)', () => {
  it('recovers to a consistent standby', () => {
    restore();
    const r = recover();
    assert.equal(r.ok, true, r.lines.join('\n'));
    assert.deepEqual(r.applied, shipped);
  });
});

describe('a damaged archived log stops recovery (item 1)', () => {
  it('a log cut to 60 % fails with ORA-00353 and ORA-00334 naming it', () => {
    restore();
    const victim = shippedLog(sb, shipped[1]!);
    fs.truncateSync(victim, Math.floor(fs.statSync(victim).size * 0.6));
    const r = recover();
    assert.equal(r.ok, false, r.lines.join('\n'));
    const i = r.lines.indexOf(`ORA-00334: archived log: '${victim}'`);
    assert.ok(i > 0, r.lines.join('\n'));
    assert.equal(r.lines[i - 3], 'ORA-00283: recovery session canceled due to errors');
    assert.equal(r.lines[i - 2], 'ORA-00354: corrupt redo log block header');
    assert.match(r.lines[i - 1]!, /^ORA-00353: log corruption near block \d+ change \d+ time \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
    assert.deepEqual(r.applied, [shipped[0]]);
  });

  it('a record with a bad checksum fails with ORA-00368, ORA-00353, ORA-00334', () => {
    restore();
    const victim = shippedLog(sb, shipped[1]!);
    const buf = fs.readFileSync(victim);
    // a byte in the body of a record about a third into the log (not its length field)
    let rec = REDO_BLOCK;
    while (rec < buf.length / 3) rec += buf.readUInt32LE(rec);
    const at = rec + 30;
    buf[at] = buf[at]! ^ 0xff;
    fs.writeFileSync(victim, buf);
    const r = recover();
    assert.equal(r.ok, false, r.lines.join('\n'));
    const i = r.lines.indexOf(`ORA-00334: archived log: '${victim}'`);
    assert.ok(i > 0, r.lines.join('\n'));
    assert.equal(r.lines[i - 2], 'ORA-00368: checksum error in redo log block');
    const block = Number(/^ORA-00353: log corruption near block (\d+) /.exec(r.lines[i - 1]!)?.[1]);
    assert.equal(block, Math.floor(rec / REDO_BLOCK), 'the block where the damaged record starts');
  });

  it('a log whose header still says ARCn is writing it fails with ORA-00332 and ORA-00334', () => {
    restore();
    const victim = shippedLog(sb, shipped[1]!);
    rewriteLogHeader(victim, { nextChange: 0, nextTime: 0, blocks: 0 });
    fs.truncateSync(victim, Math.floor(fs.statSync(victim).size / 2));
    const r = recover();
    assert.equal(r.ok, false, r.lines.join('\n'));
    const i = r.lines.indexOf(`ORA-00334: archived log: '${victim}'`);
    assert.equal(r.lines[i - 1], 'ORA-00332: archived log is too small - may be incompletely archived', r.lines.join('\n'));
  });
});

describe('logs are found by their suggested name only (item 2)', () => {
  it('a needed log renamed into a subdirectory is not used: ORA-00308 for the suggested name', () => {
    restore();
    const victim = shippedLog(sb, shipped[1]!);
    fs.mkdirSync(path.join(sb.drArch, 'sub'));
    fs.renameSync(victim, path.join(sb.drArch, 'sub', `junk_${shipped[1]}.bin`));
    const r = recover();
    assert.equal(r.ok, false, r.lines.join('\n'));
    assert.ok(r.lines.includes(`ORA-00308: cannot open archived log '${victim}'`), r.lines.join('\n'));
    assert.ok(r.lines.includes(`ORA-00280: change ${r.scn} for thread 1 is in sequence #${shipped[1]}`), r.lines.join('\n'));
    assert.deepEqual(r.applied, [shipped[0]]);
  });

  it('truncated copies in .rsync-partial/ and rsync dot-files are ignored; the complete files are used', () => {
    restore();
    for (const seq of shipped) {
      const file = shippedLog(sb, seq);
      const half = fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2));
      fs.mkdirSync(path.join(sb.drArch, '.rsync-partial'), { recursive: true });
      fs.writeFileSync(path.join(sb.drArch, '.rsync-partial', path.basename(file)), half);
      fs.writeFileSync(path.join(sb.drArch, `.${path.basename(file)}.Xy12Ab`), half);
    }
    const r = recover();
    assert.equal(r.ok, true, r.lines.join('\n'));
    assert.deepEqual(r.applied, shipped);
  });

  it('the suggested name holding another sequence fails with ORA-00310 and ORA-00334', () => {
    restore();
    const want = shippedLog(sb, shipped[1]!);
    fs.copyFileSync(shippedLog(sb, shipped[2]!), want);
    const r = recover();
    assert.equal(r.ok, false, r.lines.join('\n'));
    const i = r.lines.indexOf(`ORA-00310: archived log contains sequence ${shipped[2]}; sequence ${shipped[1]} required`);
    assert.ok(i > 0, r.lines.join('\n'));
    assert.equal(r.lines[i + 1], `ORA-00334: archived log: '${want}'`);
  });

  it("another database's log under the suggested name fails with ORA-00309 and ORA-00334", () => {
    restore();
    const want = shippedLog(sb, shipped[1]!);
    const h = decodeLogHeader(fs.readFileSync(want))!;
    rewriteLogHeader(want, { dbid: h.dbid + 1, dbName: 'OTHERDB' });
    const r = recover();
    assert.equal(r.ok, false, r.lines.join('\n'));
    const i = r.lines.indexOf('ORA-00309: log belongs to wrong database');
    assert.ok(i > 0, r.lines.join('\n'));
    assert.equal(r.lines[i + 1], `ORA-00334: archived log: '${want}'`);
  });
});

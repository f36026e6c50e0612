// Datafile header checks before recovery applies any redo: the copy must be the file the
// standby controlfile names (database, file#, creation, incarnation) and be complete.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { BLOCK_SIZE, decodeHeader, encodeHeader } from './instance/block.ts';
import { convertArg, drPath, manualBackup, sandbox, snapshotDr, type Sandbox } from './instance/testkit.ts';
import { recoverStandby } from './recover.ts';

let sb: Sandbox;
let controlfile: string;
let restore: () => void;
const file = (n: number) => sb.rows(`select name, blocks from v$datafile where file# = ${n}`).then(([r]) => ({ path: drPath(sb, String(r![0])), blocks: Number(r![1]) }));

before(async () => {
  sb = sandbox(['--tablespaces', '1', '--datafiles', '6', '--size', '48', '--seed', '41', '--log-size', '64K', '--skew', '0']);
  assert.equal(sb.sim('start').code, 0);
  await sb.admin({ cmd: 'workload', rate: 800 });
  ({ controlfile } = await manualBackup(sb));
  await sb.admin({ cmd: 'workload', stop: true });
  restore = snapshotDr(sb);
});
after(() => sb?.cleanup());

const recover = () => recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
const patchHeader = (p: string, patch: object) => {
  const fd = fs.openSync(p, 'r+');
  const b = Buffer.alloc(BLOCK_SIZE);
  fs.readSync(fd, b, 0, BLOCK_SIZE, BLOCK_SIZE);
  fs.writeSync(fd, encodeHeader({ ...decodeHeader(b)!, ...patch }), 0, BLOCK_SIZE, BLOCK_SIZE);
  fs.closeSync(fd);
};
const framing = (n: number, p: string) => [`ORA-01122: database file ${n} failed verification check`, `ORA-01110: data file ${n}: '${p}'`];

describe('datafile header checks (item 4)', () => {
  it('baseline: the copy recovers', () => {
    restore();
    const r = recover();
    assert.equal(r.ok, true, r.lines.join('\n'));
  });

  it('a file of another incarnation (RESETLOGS id) fails with ORA-01209', async () => {
    restore();
    const f = await file(4);
    const h = decodeHeader(fs.readFileSync(f.path).subarray(BLOCK_SIZE, 2 * BLOCK_SIZE))!;
    patchHeader(f.path, { resetlogsId: h.resetlogsId + 1 });
    assert.deepEqual(recover().lines, [...framing(4, f.path), 'ORA-01209: data file is from before the last RESETLOGS']);
  });

  it('a file of an older creation (creation SCN differs) fails with ORA-01203', async () => {
    restore();
    const f = await file(4);
    const h = decodeHeader(fs.readFileSync(f.path).subarray(BLOCK_SIZE, 2 * BLOCK_SIZE))!;
    patchHeader(f.path, { creationScn: h.creationScn - 5 });
    assert.deepEqual(recover().lines, [...framing(4, f.path), 'ORA-01203: wrong incarnation of this file - wrong creation SCN']);
  });

  it('a short file fails up front with ORA-01200', async () => {
    restore();
    const f = await file(4);
    fs.truncateSync(f.path, (f.blocks - 9 + 1) * BLOCK_SIZE);
    const r = recover();
    assert.deepEqual(r.lines, [...framing(4, f.path), `ORA-01200: actual file size of ${f.blocks - 9} is smaller than correct size of ${f.blocks} blocks`]);
    assert.deepEqual(r.applied, []);
  });

  it("a file copied to another file's path fails with ORA-01204", async () => {
    restore();
    const [f4, f5] = [await file(4), await file(5)];
    fs.copyFileSync(f5.path, f4.path);
    assert.deepEqual(recover().lines, [...framing(4, f4.path), 'ORA-01204: file number is 5 rather than 4 - wrong file']);
  });
});

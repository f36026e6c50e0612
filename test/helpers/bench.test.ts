// Self-tests of the benchmark building blocks: datasets are deterministic and shaped as
// documented; every raw method delivers a byte-identical tree over the harness sshd.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { makeManySmall, makeSkewedDataset } from '../../bench/dataset.ts';
import { METHODS, listFiles, parseSize, verifyIdentical } from '../../bench/raw.ts';
import { makeSandbox, type Sandbox } from './sandbox.ts';
import { startSshd, type Sshd } from './sshd.ts';

const treeHash = async (dir: string) => {
  const h = createHash('sha256');
  for (const f of await listFiles(dir)) h.update(f + '\0').update(readFileSync(join(dir, f)));
  return h.digest('hex');
};

describe('bench datasets', () => {
  let sb: Sandbox;
  before(() => (sb = makeSandbox('bd')));
  after(() => sb.cleanup());

  it('skewed set: deterministic, exact size, /uNN layout, half incompressible + half zeros', async () => {
    const opts = { totalBytes: 8 * 2 ** 20, largeFiles: 3, smallFiles: 20, seed: 7, oddNames: true };
    const a = await makeSkewedDataset(sb.mkdir('a'), opts);
    const b = await makeSkewedDataset(sb.mkdir('b'), opts);
    const c = await makeSkewedDataset(sb.mkdir('c'), { ...opts, seed: 8 });
    assert.equal(a.files.length, 23);
    assert.equal(a.totalBytes, 8 * 2 ** 20);
    assert.equal(await treeHash(a.dir), await treeHash(b.dir));
    assert.notEqual(await treeHash(a.dir), await treeHash(c.dir));
    assert.ok(a.files.every((f) => /^u0[1-4]\/oradata\/DBPROD\//.test(f.path)), JSON.stringify(a.files.map((f) => f.path)));
    assert.ok(a.files.some((f) => f.path.includes(' ')));
    const big = a.files.reduce((x, y) => (y.bytes > x.bytes ? y : x));
    const small = a.files.reduce((x, y) => (y.bytes < x.bytes ? y : x));
    assert.ok(big.bytes > 10 * small.bytes, 'skewed');
    const buf = readFileSync(join(a.dir, big.path));
    const half = Math.ceil(buf.length / 2 / 8192) * 8192;
    assert.ok(deflateSync(buf.subarray(0, half)).length > 0.99 * half, 'first half incompressible');
    assert.ok(buf.subarray(half).every((x) => x === 0), 'second half zeros');
  });

  it('many small: files round-robin over dirs', async () => {
    const d = await makeManySmall(sb.mkdir('m'), { files: 30, dirs: 7, bytes: 10_000 });
    const files = await listFiles(d.dir);
    assert.equal(files.length, 30);
    assert.equal(new Set(files.map((f) => f.split('/')[0])).size, 7);
    assert.equal(d.totalBytes, 300_000);
  });

  it('parseSize', () => {
    assert.equal(parseSize('512M'), 512 * 2 ** 20);
    assert.equal(parseSize('1G'), 2 ** 30);
    assert.equal(parseSize('64K'), 65536);
    assert.throws(() => parseSize('lots'));
  });
});

describe('raw methods over the harness sshd', () => {
  let sb: Sandbox;
  let sshd: Sshd;
  before(async () => {
    sb = makeSandbox('br');
    sshd = await startSshd({ logLevel: 'ERROR' });
  });
  after(async () => {
    await sshd?.dispose();
    sb?.cleanup();
  });

  for (const name of Object.keys(METHODS)) {
    it(`${name}: destination byte-identical`, async () => {
      const src = sb.mkdir(`src-${name}`);
      await makeSkewedDataset(src, { totalBytes: 4 * 2 ** 20, largeFiles: 2, smallFiles: 6, seed: 1, oddNames: true });
      const dst = sb.mkdir(`dst ${name}`); // a space in the destination path too
      const r = await METHODS[name](src, dst, sshd);
      assert.equal(r.bytes, 4 * 2 ** 20);
      assert.equal(r.files, 8);
      assert.ok(r.seconds > 0 && r.mbPerSec > 0);
      await verifyIdentical(src, dst);
      await assert.rejects(verifyIdentical(src, sb.mkdir(`empty-${name}`)), /file lists differ/);
    });
  }
});

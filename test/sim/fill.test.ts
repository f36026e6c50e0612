// `sim create --fill F`: a fraction of each datafile's blocks starts with row data, and
// recovery + verify stay exact: verify must know each block's creation image, or a copy that
// dropped the rows (or a verify that assumed empty blocks) would pass or fail wrongly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { BLOCK_SIZE, PAYLOAD_END, PAYLOAD_START, blockDefect, inspectBlock } from './instance/block.ts';
import { loadControl } from './instance/control.ts';
import { emptyBlock } from './instance/datafile.ts';
import { SIM, convertArg, drPath, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';
import { recoverStandby } from './recover.ts';
import { verifyStandby } from './verify.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function box(args: string[]): Sandbox {
  const sb = sandbox(['--tablespaces', '2', '--datafiles', '7', '--size', '64', '--seed', '21', '--log-size', '64K', ...args]);
  boxes.push(sb);
  return sb;
}

function blocksOf(file: string): Buffer[] {
  const buf = fs.readFileSync(file);
  const out: Buffer[] = [];
  for (let o = 2 * BLOCK_SIZE; o + BLOCK_SIZE <= buf.length; o += BLOCK_SIZE) out.push(buf.subarray(o, o + BLOCK_SIZE));
  return out;
}

const payloadUsed = (b: Buffer) => b.subarray(PAYLOAD_START, PAYLOAD_END).some((x) => x !== 0);

describe('sim create --fill', () => {
  it('fills the given fraction of each datafile\'s data blocks with partly compressible rows, deterministically', () => {
    const a = box(['--fill', '0.5']);
    const b = box(['--fill', '0.5']);
    const c = loadControl(a.dir);
    let filled = 0;
    let total = 0;
    for (const d of c.datafiles) {
      const blocks = blocksOf(d.name);
      assert.equal(blocks.length, d.blocks - 1);
      const used = blocks.map(payloadUsed);
      const n = used.filter(Boolean).length;
      // half of the data blocks (rounded), the first ones (below a high-water mark)
      assert.equal(n, Math.round(0.5 * (d.blocks - 1)), d.name);
      assert.deepEqual(used, blocks.map((_, i) => i < n), d.name);
      blocks.forEach((blk, i) => assert.equal(blockDefect(blk, d.file, i + 2), undefined, `${d.name} block ${i + 2}`));
      filled += n;
      total += blocks.length;
      // same seed, same data blocks (the file header carries the creation time)
      assert.ok(Buffer.concat(blocks).equals(Buffer.concat(blocksOf(b.root + d.name.slice(a.root.length)))), d.name);
    }
    assert.ok(filled > 0 && filled < total);
    // rows: compressible, but far from empty blocks (which deflate to almost nothing)
    const sample = Buffer.concat(blocksOf(c.datafiles[3]!.name).filter(payloadUsed));
    const ratio = deflateRawSync(sample, { level: 1 }).length / sample.length;
    assert.ok(ratio > 0.35 && ratio < 0.8, `deflate ratio of row blocks ${ratio.toFixed(2)}`);
  });

  it('--fill-style random makes the filled payload incompressible', () => {
    const sb = box(['--fill', '1', '--fill-style', 'random']);
    const d = loadControl(sb.dir).datafiles[3]!;
    const blocks = blocksOf(d.name);
    assert.ok(blocks.every(payloadUsed));
    const sample = Buffer.concat(blocks);
    assert.ok(deflateRawSync(sample, { level: 1 }).length / sample.length > 0.98);
  });

  it('rejects a fraction outside 0..1 and an unknown style', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'simfill-'));
    for (const [args, msg] of [
      [['--fill', '1.5'], /--fill must be a fraction from 0 to 1, got '1.5'/],
      [['--fill', '0.5', '--fill-style', 'lorem'], /--fill-style must be rows or random, got 'lorem'/],
    ] as const) {
      const r = spawnSync(SIM, ['create', '--home', path.join(base, 'oh'), '--sid', 'OTHER', '--root', path.join(base, 'prod'), ...args], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, msg);
      assert.equal(fs.existsSync(path.join(base, 'oh')), false, 'nothing created');
    }
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('a hot backup of a filled database under load recovers and verifies identical', async () => {
    const sb = box(['--fill', '0.6']);
    assert.equal(sb.sim('start').code, 0);
    await sb.admin({ cmd: 'workload', rate: 1500 });
    await sleep(200);
    const { controlfile } = await manualBackup(sb);
    await sb.admin({ cmd: 'workload', stop: true });
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, true, r.lines.join('\n'));
    const v = verifyStandby({ controlfile, convert: convertArg(sb) });
    assert.equal(v.ok, true, v.lines.join('\n'));
  });

  it('verify catches a DR copy whose filled block was replaced by an empty one', async () => {
    const sb = box(['--fill', '0.5']);
    assert.equal(sb.sim('start').code, 0);
    const { controlfile } = await manualBackup(sb);
    const d = loadControl(sb.dir).datafiles[4]!;
    const copy = drPath(sb, d.name);
    const fd = fs.openSync(copy, 'r+');
    fs.writeSync(fd, emptyBlock(d.file, 3, d.creationScn), 0, BLOCK_SIZE, 3 * BLOCK_SIZE);
    fs.closeSync(fd);
    const r = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(r.ok, true, r.lines.join('\n'));
    const v = verifyStandby({ controlfile, convert: convertArg(sb) });
    assert.equal(v.ok, false);
    assert.deepEqual(v.diffs.map((x) => [x.file, x.block]), [[d.file, 3]], v.lines.join('\n'));
    assert.equal(inspectBlock(fs.readFileSync(copy).subarray(3 * BLOCK_SIZE, 4 * BLOCK_SIZE)).file, d.file);
  });
});

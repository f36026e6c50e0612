// auto compression on the datafiles of a round: a sample of them decides whether compressing
// pays (lib/transfer/sample.ts, compressionForData). Real files, node's real zlib.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { commonCapabilities, parseRsyncVersion } from '../../lib/transfer/capabilities.ts';
import { chooseCompression, compressionForData, describeDataCompression } from '../../lib/transfer/compression.ts';
import { sampleCompressibility, SAMPLE_BYTES, SAMPLES } from '../../lib/transfer/sample.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const MiB = 1 << 20;
const file = (name: string, parts: Buffer[]) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, Buffer.concat(parts));
  return { source: p, bytes: fs.statSync(p).size };
};
const caps = commonCapabilities(...([0, 0].map(() => parseRsyncVersion('rsync  version 3.2.7  protocol version 31\nCompress list:\n    zstd lz4 zlibx zlib none\n')) as [never, never]));
const run = chooseCompression('auto', undefined, caps, { source: 'unknown' });

test('incompressible datafiles: auto sends them uncompressed and says why', () => {
  const files = [file('big.dbf', [randomBytes(6 * MiB)]), file('small.dbf', [randomBytes(MiB)])];
  const s = sampleCompressibility(files)!;
  assert.equal(s.sampledBytes, SAMPLES * SAMPLE_BYTES);
  assert.equal(s.files, 2);
  const c = compressionForData(run, 'auto', s);
  assert.deepEqual(c.args, []);
  assert.equal(
    describeDataCompression(c),
    'datafile compression: none (auto: none (a sample of 2.0 MiB from 2 datafile(s) deflates to 100.0 % at level 1: compressing would save less than 10 %, not worth the CPU of both ends))',
  );
});

test('half-used datafiles (random blocks, then empty ones): the sample sees both halves and zstd stays', () => {
  const files = [file('half.dbf', [randomBytes(4 * MiB), Buffer.alloc(4 * MiB)])];
  const s = sampleCompressibility(files)!;
  const ratio = s.compressedBytes / s.sampledBytes;
  assert.ok(ratio > 0.48 && ratio < 0.53, `ratio ${ratio}`);
  const c = compressionForData(run, 'auto', s);
  assert.deepEqual(c.args, ['--compress', '--compress-choice=zstd', '--compress-level=1']);
  assert.equal(
    describeDataCompression(c),
    `datafile compression: zstd level 1 (auto: zstd (both ends have it; link speed unknown; fast enough not to slow any link); a sample of 2.0 MiB from 1 datafile(s) deflates to ${(ratio * 100).toFixed(1)} % at level 1)`,
  );
});

test('an explicit setting is kept whatever the data; unreadable files leave the run choice', () => {
  const rnd = [file('rnd.dbf', [randomBytes(MiB)])];
  const zstd = chooseCompression('zstd', undefined, caps, { source: 'unknown' });
  assert.equal(compressionForData(zstd, 'zstd', sampleCompressibility(rnd)), zstd);
  assert.equal(sampleCompressibility([{ source: path.join(dir, 'missing.dbf'), bytes: MiB }]), undefined);
  assert.equal(describeDataCompression(compressionForData(run, 'auto', undefined)), 'datafile compression: zstd level 1 (auto: zstd (both ends have it; link speed unknown; fast enough not to slow any link); no sample could be read)');
  // a file smaller than one piece is read whole, once per stratum that falls in it
  const tiny = sampleCompressibility([file('tiny.dbf', [randomBytes(1000)])])!;
  assert.equal(tiny.sampledBytes, SAMPLES * 1000);
});

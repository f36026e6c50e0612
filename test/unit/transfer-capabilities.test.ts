// rsync capability detection on the real `rsync --version` texts of the versions production
// hosts run (OL/RHEL 7: 3.1.2, 8: 3.1.3, 9: 3.2.3; Debian 12: 3.2.7; current: 3.4.1), built
// from the rsync sources at those tags (test/unit/fixtures/rsync-version/README.md).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commonCapabilities, describeCapabilities, parseRsyncVersion, VersionParseError, type RsyncCapabilities } from '../../lib/transfer/capabilities.ts';
import { chooseCompression } from '../../lib/transfer/compression.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rsync-version');
const v = (name: string): RsyncCapabilities => parseRsyncVersion(fs.readFileSync(path.join(dir, `rsync-${name}.txt`), 'utf8'));

test('the version line, protocol and lists of each release', () => {
  assert.deepEqual(v('3.1.2'), { version: '3.1.2', label: '3.1.2', major: 3, minor: 1, patch: 2, protocol: 31, checksums: undefined, compressions: undefined });
  assert.deepEqual(v('3.1.3'), { version: '3.1.3', label: '3.1.3', major: 3, minor: 1, patch: 3, protocol: 31, checksums: undefined, compressions: undefined });
  const full = { checksums: ['xxh128', 'xxh3', 'xxh64', 'md5', 'md4', 'none'], compressions: ['zstd', 'lz4', 'zlibx', 'zlib', 'none'] };
  assert.deepEqual(v('3.2.3'), { version: '3.2.3', label: '3.2.3', major: 3, minor: 2, patch: 3, protocol: 31, ...full });
  assert.deepEqual(v('3.2.3-minimal'), { version: '3.2.3', label: '3.2.3', major: 3, minor: 2, patch: 3, protocol: 31, checksums: ['md5', 'md4', 'none'], compressions: ['zlibx', 'zlib', 'none'] });
  assert.deepEqual(v('3.2.7'), { version: '3.2.7', label: '3.2.7', major: 3, minor: 2, patch: 7, protocol: 31, checksums: ['xxh128', 'xxh3', 'xxh64', 'md5', 'md4', 'sha1', 'none'], compressions: full.compressions });
  assert.deepEqual(v('3.4.1'), { version: '3.4.1', label: '3.4.1', major: 3, minor: 4, patch: 1, protocol: 32, checksums: ['xxh128', 'xxh3', 'xxh64', 'md5', 'md4', 'sha1', 'none'], compressions: full.compressions });
});

test('git builds and "v" prefixes are read; anything else is refused', () => {
  const c = parseRsyncVersion('rsync  version v3.4.2dev  protocol version 32\nCopyright ...\n');
  assert.equal(c.version, '3.4.2');
  assert.equal(c.label, '3.4.2dev');
  assert.throws(() => parseRsyncVersion('openrsync: protocol version 29\n'), (e: Error) => e instanceof VersionParseError && e.message === 'not an rsync version text: "openrsync: protocol version 29"');
  assert.throws(() => parseRsyncVersion(''), VersionParseError);
});

test('what both ends can use: 3.1.x at either end means zlib and md5, no choice flags', () => {
  for (const [a, b] of [['3.4.1', '3.1.3'], ['3.1.2', '3.2.7'], ['3.1.2', '3.1.3']]) {
    const c = commonCapabilities(v(a!), v(b!));
    assert.equal(c.choices, false, `${a}/${b}`);
    assert.deepEqual(c.compressions, ['zlib']);
    assert.deepEqual(c.checksums, ['md5']);
  }
  const modern = commonCapabilities(v('3.4.1'), v('3.2.3'));
  assert.equal(modern.choices, true);
  assert.deepEqual(modern.compressions, ['zstd', 'lz4', 'zlibx', 'zlib']);
  assert.deepEqual(modern.checksums, ['xxh128', 'xxh3', 'xxh64', 'md5', 'md4']);
  const minimal = commonCapabilities(v('3.2.7'), v('3.2.3-minimal'));
  assert.deepEqual(minimal.compressions, ['zlibx', 'zlib']);
  assert.deepEqual(minimal.checksums, ['md5', 'md4']);
  assert.equal(
    describeCapabilities(commonCapabilities(v('3.4.1'), v('3.1.3')), 'on the DR host'),
    'rsync 3.4.1 here (protocol 32), 3.1.3 on the DR host (protocol 31): common compression zlib, checksums md5 (rsync 3.1.3 has no --compress-choice/--checksum-choice: -z is zlib, the checksum md5)',
  );
});

test('compression flags never include what one end lacks', () => {
  const link = { source: 'measured' as const, bytesPerSec: 25e6 };
  const cases: [string, string, string, string[]][] = [
    ['3.4.1', '3.4.1', 'auto', ['--compress', '--compress-choice=zstd', '--compress-level=1']],
    ['3.4.1', '3.2.3-minimal', 'auto', ['--compress', '--compress-choice=zlibx', '--compress-level=1']],
    ['3.4.1', '3.1.3', 'auto', ['--compress', '--compress-level=1']],
    ['3.1.2', '3.4.1', 'zstd', ['--compress', '--compress-level=1']],
    ['3.4.1', '3.2.3-minimal', 'lz4', ['--compress', '--compress-choice=zlibx', '--compress-level=1']],
    ['3.4.1', '3.2.7', 'zlib', ['--compress', '--compress-choice=zlibx', '--compress-level=1']],
    ['3.4.1', '3.2.7', 'lz4', ['--compress', '--compress-choice=lz4']],
    ['3.4.1', '3.1.3', 'none', []],
  ];
  for (const [a, b, setting, args] of cases) {
    const c = chooseCompression(setting as 'auto', undefined, commonCapabilities(v(a), v(b)), link);
    assert.deepEqual(c.args, args, `${a} -> ${b}, ${setting}: ${c.reason}`);
  }
  const fallback = chooseCompression('zstd', undefined, commonCapabilities(v('3.1.2'), v('3.4.1')), link);
  assert.equal(fallback.reason, 'transfer.compression: zstd is not supported by both ends (common: zlib; rsync 3.1.x at one end offers zlib only): using zlib instead');
});

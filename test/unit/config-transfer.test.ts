// The `transfer` section of etc/dr.yaml: defaults, rates, and its conflicts with rsync.*.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRate, validateConfig } from '../../lib/config/index.ts';
import { ConfigError } from '../../lib/errors.ts';

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    oracle: { sid: 'dbprod' },
    destination: { host: 'dr.example.com', user: 'oracle' },
    path_map: { '/u05': '/u15' },
    archivelog: { dest_dir: '/u12/arch' },
    standby_controlfile: { dr_path: '/u15/ctl/control01.ctl' },
    ...extra,
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    validateConfig(raw, '/etc/dr.yaml', '/opt/dr');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

test('rates: bits or bytes per second, decimal units', () => {
  assert.equal(parseRate('200Mbit'), 25_000_000);
  assert.equal(parseRate('1Gbit'), 125_000_000);
  assert.equal(parseRate('1.5 Gbit/s'), 187_500_000);
  assert.equal(parseRate('100mbit'), 12_500_000);
  assert.equal(parseRate('12MB/s'), 12_000_000);
  assert.equal(parseRate('800KB/s'), 800_000);
  assert.equal(parseRate('25MBps'), 25_000_000);
  assert.equal(parseRate('0'), 0);
  assert.equal(parseRate(0), 0);
  for (const bad of ['fast', '100', '100M', '-5Mbit', 200, '12mb/s']) assert.equal(parseRate(bad), undefined, String(bad));
});

test('transfer section: every key set', () => {
  const c = validateConfig(
    minimal({ transfer: { compression: 'zstd', compression_level: 3, link_rate: '200Mbit', max_rate: '100Mbit', archivelog_share: 0.3, delta: 'always' } }),
    '/etc/dr.yaml',
    '/opt/dr',
  );
  assert.deepEqual(c.transfer, { compression: 'zstd', compressionLevel: 3, linkRateBytesPerSec: 25_000_000, maxRateBytesPerSec: 12_500_000, archivelogShare: 0.3, delta: 'always' });
  assert.deepEqual(validateConfig(minimal({ transfer: { max_rate: 0 } }), '/etc/dr.yaml', '/opt/dr').transfer, { compression: 'auto', archivelogShare: 0.25, delta: 'auto' });
});

test('transfer section: bad values are reported with their keys', () => {
  assert.deepEqual(
    problemsOf(minimal({ transfer: { compression: 'gzip', compression_level: 30, link_rate: 'fast', max_rate: '100M', archivelog_share: 0.95, delta: 'sometimes', lz4: true } })),
    [
      'transfer.compression: must be one of auto, zstd, lz4, zlib, none (found "gzip")',
      'transfer.compression_level: must be at most 19',
      'transfer.archivelog_share: must be at most 0.9',
      'transfer.delta: must be one of auto, always, never (found "sometimes")',
      'transfer.lz4: unknown key (allowed here: compression, compression_level, link_rate, max_rate, archivelog_share, delta)',
      'transfer.link_rate: must be a rate such as 100Mbit, 1Gbit or 12MB/s (found "fast")',
      'transfer.max_rate: must be a rate such as 100Mbit, 1Gbit or 12MB/s (found "100M")',
    ],
  );
  assert.deepEqual(problemsOf(minimal({ transfer: { link_rate: '0' } })), ['transfer.link_rate: must be greater than 0; leave it out to have the link measured']);
  assert.deepEqual(problemsOf(minimal({ transfer: { compression: 'lz4', compression_level: 2 } })), ['transfer.compression_level: lz4 has no levels; remove it']);
});

test('a total limit conflicts with per-process limits; a chosen compression with compression in extra_options', () => {
  assert.deepEqual(problemsOf(minimal({ transfer: { max_rate: '100Mbit' }, rsync: { bwlimit_kbps: 5000, extra_options: ['--bwlimit=100', '--sparse'] } })), [
    'rsync.extra_options[0]: --bwlimit=100 conflicts with transfer.max_rate, which sets each rsync\'s --bwlimit; remove it',
    'transfer.max_rate: set it or rsync.bwlimit_kbps (a limit per rsync process), not both',
  ]);
  assert.deepEqual(problemsOf(minimal({ transfer: { compression: 'none' }, rsync: { extra_options: ['-z', '--compress-level=3', '--timeout=5'] } })), [
    'rsync.extra_options[0]: -z conflicts with transfer.compression; choose compression there',
    'rsync.extra_options[1]: --compress-level=3 conflicts with transfer.compression; choose compression there',
  ]);
  // without transfer.compression, an older configuration's --compress is honoured (no problem)
  assert.deepEqual(problemsOf(minimal({ rsync: { extra_options: ['--compress'] } })), []);
  assert.deepEqual(problemsOf(minimal({ rsync: { bwlimit_kbps: 5000 } })), []);
});

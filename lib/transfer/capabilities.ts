// What the rsync at each end can do, read from `rsync --version` once per run (the remote one
// over the shared ssh connection), and what both can do together. Only that is ever used:
// rsync 3.1.x knows neither --compress-choice nor the Checksum/Compress lists (its `-z` is
// zlib, its transfer checksum md5), and a 3.2+ build may lack zstd, lz4 or xxhash.
// Texts of 3.1.2, 3.1.3, 3.2.3, 3.2.7 and 3.4.1 are in test/unit/fixtures/rsync-version.
import type { Remote } from '../remote.ts';
import { PreconditionError } from '../errors.ts';
import { run } from '../exec.ts';

export interface RsyncCapabilities {
  /** e.g. "3.1.3" (a suffix such as "dev" or a git tag is kept in `label`) */
  version: string;
  label: string;
  major: number;
  minor: number;
  patch: number;
  protocol: number;
  /** Names from "Checksum list:" (aliases in parentheses dropped); undefined when not printed (before 3.2.0). */
  checksums?: string[];
  /** Names from "Compress list:"; undefined when not printed (before 3.2.0). */
  compressions?: string[];
}

export class VersionParseError extends Error {}

/** Parses `rsync --version`. Throws VersionParseError when the first line is not rsync's. */
export function parseRsyncVersion(text: string): RsyncCapabilities {
  const m = /^rsync\s+version\s+v?(\d+)\.(\d+)\.(\d+)(\S*)\s+protocol version (\d+)/m.exec(text);
  if (!m) throw new VersionParseError(`not an rsync version text: ${JSON.stringify(text.split('\n').find((l) => l.trim()) ?? '')}`);
  const list = (heading: string): string[] | undefined => {
    const at = new RegExp(`^${heading}:\\s*\\n\\s+(.+)$`, 'm').exec(text);
    if (!at) return undefined;
    return at[1]!.replace(/\([^)]*\)/g, ' ').trim().split(/\s+/).filter(Boolean);
  };
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return {
    version: `${major}.${minor}.${patch}`,
    label: `${major}.${minor}.${patch}${m[4]}`,
    major,
    minor,
    patch,
    protocol: Number(m[5]),
    checksums: list('Checksum list'),
    compressions: list('Compress list'),
  };
}

/** 3.2.0 added --compress-choice/--checksum-choice with negotiation, zstd, lz4, zlibx and xxhash. */
export function hasChoices(c: RsyncCapabilities): boolean {
  return c.major > 3 || (c.major === 3 && c.minor >= 2);
}

/** Compression algorithms an rsync offers (without "none"). Before 3.2: zlib only (`-z`). */
export function compressionsOf(c: RsyncCapabilities): string[] {
  if (!hasChoices(c)) return ['zlib'];
  return (c.compressions ?? ['zlibx', 'zlib']).filter((x) => x !== 'none');
}

/** Transfer checksums an rsync offers (without "none"). Before 3.2: md5 (protocol 30+), not choosable. */
export function checksumsOf(c: RsyncCapabilities): string[] {
  if (!hasChoices(c)) return ['md5'];
  return (c.checksums ?? ['md5', 'md4']).filter((x) => x !== 'none');
}

export interface LinkCapabilities {
  local: RsyncCapabilities;
  /** The receiving rsync (DR); the same as local for a local destination. */
  remote: RsyncCapabilities;
  /** Both ends are 3.2+: --compress-choice and --checksum-choice may be given. */
  choices: boolean;
  /** Algorithms both ends offer, in the local rsync's order of preference. */
  compressions: string[];
  checksums: string[];
}

export function commonCapabilities(local: RsyncCapabilities, remote: RsyncCapabilities): LinkCapabilities {
  const choices = hasChoices(local) && hasChoices(remote);
  const both = (a: string[], b: string[]) => a.filter((x) => b.includes(x));
  return {
    local,
    remote,
    choices,
    compressions: choices ? both(compressionsOf(local), compressionsOf(remote)) : ['zlib'],
    checksums: choices ? both(checksumsOf(local), checksumsOf(remote)) : ['md5'],
  };
}

/** One line for the log: both versions and what they have in common. */
export function describeCapabilities(c: LinkCapabilities, where: string): string {
  return (
    `rsync ${c.local.label} here (protocol ${c.local.protocol}), ${c.remote.label} ${where} (protocol ${c.remote.protocol}): ` +
    `common compression ${c.compressions.join(' ') || 'none'}, checksums ${c.checksums.join(' ')}` +
    (c.choices ? '' : ` (rsync ${[c.local, c.remote].find((x) => !hasChoices(x))!.label} has no --compress-choice/--checksum-choice: -z is zlib, the checksum md5)`)
  );
}

async function versionText(argv: string[], where: string, hint: string): Promise<RsyncCapabilities> {
  const r = await run(argv, { timeoutMs: 60_000 });
  if (r.exitCode === 127 || /command not found|No such file/.test(r.stderr)) {
    throw new PreconditionError(`rsync is not installed ${where} (${argv.slice(-2).join(' ')}: ${r.stderr.trim().split('\n').pop()})`, hint);
  }
  try {
    return parseRsyncVersion(r.stdout);
  } catch (e) {
    throw new PreconditionError(
      `cannot read the rsync version ${where} (exit ${r.exitCode}): ${(e as Error).message}${r.stderr.trim() ? `; stderr: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`,
      hint,
    );
  }
}

/**
 * Runs `rsync --version` here and on the DR host at the same time (over the shared ssh
 * connection: call remote.connect() first). Both fail: this host's error is the one thrown.
 */
export async function detectCapabilities(program: string, remote: Remote): Promise<LinkCapabilities> {
  const here = versionText([program, '--version'], 'on this host', 'install rsync 3.1.2 or later, or set rsync.path');
  if (remote.isLocal) {
    const local = await here;
    return commonCapabilities(local, local);
  }
  const there = versionText(
    ['ssh', ...remote.sshOptions(), remote.target, '--', 'rsync', '--version'],
    `on the DR host ${remote.describe()}`,
    'install rsync 3.1.2 or later on the DR host, in the PATH of a non-interactive ssh session (`ssh USER@HOST rsync --version` must work)',
  );
  const [local, dr] = await Promise.allSettled([here, there]);
  if (local.status === 'rejected') throw local.reason;
  if (dr.status === 'rejected') throw dr.reason;
  return commonCapabilities(local.value, dr.value);
}

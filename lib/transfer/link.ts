// How fast the link to DR is: transfer.link_rate when configured, otherwise a short
// measurement over the shared ssh connection (random bytes into `cat >/dev/null` for about a
// second: the cipher and the path of the real transfers), kept in the state directory for
// MEASUREMENT_TTL_MS so a tool started every minute does not load the link each time.
import { randomBytes } from 'node:crypto';
import { spawnLong, waitExit } from '../exec.ts';
import type { Remote } from '../remote.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';
import type { LinkSpeed } from './compression.ts';

export const MEASUREMENT_TTL_MS = 6 * 3600_000;
const MAX_SECONDS = 1;
const MAX_BYTES = 512 * 1024 * 1024;

interface Cached {
  destination: string;
  bytesPerSec: number;
  bytes: number;
  seconds: number;
  measuredAt: string;
}

/** Sends random bytes for about a second; payload bytes per second, or undefined when it failed. */
export async function measureLink(remote: Remote): Promise<{ bytesPerSec: number; bytes: number; seconds: number } | undefined> {
  // The clock starts when the remote side says it is reading: opening the session (a login
  // shell on DR) must not count as transfer time.
  const child = spawnLong(['ssh', ...remote.sshOptions(), remote.target, '--', 'echo ready; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr!.resume();
  child.stdin!.on('error', () => undefined);
  const ready = await new Promise<boolean>((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve(false), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    child.kill('SIGTERM');
    await waitExit(child).catch(() => undefined);
    return undefined;
  }
  const chunk = randomBytes(1 << 20);
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
  let bytes = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (elapsed() < MAX_SECONDS && bytes < MAX_BYTES && child.exitCode === null) {
        bytes += chunk.length;
        if (!child.stdin!.write(chunk)) return void child.stdin!.once('drain', pump);
      }
      child.stdin!.end();
      resolve();
    };
    child.once('exit', () => resolve());
    pump();
  });
  const { code } = await waitExit(child);
  const seconds = elapsed();
  return code === 0 && bytes > 0 ? { bytesPerSec: bytes / seconds, bytes, seconds } : undefined;
}

/**
 * The link speed for this run: configured, or measured (cached per destination), or 'local'.
 * `log` receives one line saying which.
 */
export async function linkSpeed(opts: { remote: Remote; configuredBytesPerSec?: number; cacheFile: string; now?: Date }, log: (m: string) => void): Promise<LinkSpeed> {
  const { remote } = opts;
  if (remote.isLocal) return { source: 'local' };
  if (opts.configuredBytesPerSec !== undefined) return { source: 'configured', bytesPerSec: opts.configuredBytesPerSec };
  const now = opts.now ?? new Date();
  const dest = remote.describe();
  const cached = readJsonIfExists<Cached>(opts.cacheFile);
  if (cached && cached.destination === dest && now.getTime() - Date.parse(cached.measuredAt) < MEASUREMENT_TTL_MS && cached.bytesPerSec > 0) {
    log(`link to ${dest}: ${(cached.bytesPerSec / 1e6).toFixed(1)} MB/s measured at ${cached.measuredAt} (kept ${MEASUREMENT_TTL_MS / 3600_000} h in ${opts.cacheFile}; set transfer.link_rate to skip measuring)`);
    return { source: 'measured', bytesPerSec: cached.bytesPerSec };
  }
  const m = await measureLink(remote);
  if (!m) {
    log(`link to ${dest}: the measurement failed; deciding without it (set transfer.link_rate)`);
    return { source: 'unknown' };
  }
  writeJsonAtomic(opts.cacheFile, { destination: dest, bytesPerSec: Math.round(m.bytesPerSec), bytes: m.bytes, seconds: Number(m.seconds.toFixed(3)), measuredAt: now.toISOString() } satisfies Cached);
  log(`link to ${dest}: measured ${(m.bytesPerSec / 1e6).toFixed(1)} MB/s (${m.bytes} bytes in ${m.seconds.toFixed(2)} s over ssh; set transfer.link_rate to skip measuring)`);
  return { source: 'measured', bytesPerSec: m.bytesPerSec };
}

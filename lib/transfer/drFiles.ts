// Sizes of the files about to be copied, here and of their DR copies: one `stat` over the shared ssh
// connection per 200 files (or fs.stat for a local destination). A file with no size here
// has no DR copy.
import fs from 'node:fs';
import { TransferError } from '../errors.ts';
import { run } from '../exec.ts';
import { shellQuote, type Remote } from '../remote.ts';

const CHUNK = 200;

/** Sizes of files on this host (a file that cannot be read is left out: rsync will report it). */
export function localFileSizes(paths: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of paths) {
    try {
      out.set(p, fs.statSync(p).size);
    } catch {
      /* rsync reports it */
    }
  }
  return out;
}

export async function drFileSizes(remote: Remote, paths: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (remote.isLocal) return localFileSizes(paths);
  for (let i = 0; i < paths.length; i += CHUNK) {
    const part = paths.slice(i, i + CHUNK);
    // ssh joins its arguments into one command line for the remote shell: quote each word.
    const cmd = ['stat', '-L', '-c', '%s %n', '--', ...part].map(shellQuote).join(' ');
    const r = await run(['ssh', ...remote.sshOptions(), remote.target, '--', cmd], { timeoutMs: 120_000 });
    if (r.exitCode !== 0 && r.exitCode !== 1) {
      throw new TransferError(
        `cannot list the DR copies on ${remote.describe()} (stat exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`,
        'check ssh access to the DR host; GNU stat (coreutils) must be installed there',
      );
    }
    const wanted = new Set(part);
    for (const line of r.stdout.split('\n')) {
      const m = /^(\d+) (.*)$/.exec(line);
      if (m && wanted.has(m[2]!)) out.set(m[2]!, Number(m[1]));
    }
  }
  return out;
}

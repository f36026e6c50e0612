// Puts old-version stand-ins for rsync and tmux in a directory, to be put first on a PATH:
// each is a tiny sh launcher running an esbuild bundle of oldRsync.ts / oldTmux.ts with this
// node (bundled once per call: tsx would add a second to every rsync start). The real
// programs are found now, in the system PATH, so the stand-ins never call themselves.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PATH } from '../sandbox.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface OldTools {
  /** The directory to put first on PATH. */
  bin: string;
  /** JSON lines, one per invocation. */
  rsyncLog: string;
  tmuxLog?: string;
  invocations(tool: 'rsync' | 'tmux'): { argv: string[]; server?: boolean; protectedArgs?: string[]; refused?: string; version: string }[];
}

function which(program: string): string {
  for (const d of SYSTEM_PATH) {
    const p = path.join(d, program);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${program} not found in ${SYSTEM_PATH.join(':')}`);
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function installOldTools(dir: string, opts: { rsync: '3.1.2' | '3.1.3'; tmux?: boolean }): Promise<OldTools> {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const { build } = await import('esbuild');
  const bundle = async (entry: string, out: string) =>
    build({ entryPoints: [path.join(here, entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  const rsyncLog = path.join(dir, 'rsync.log');
  const tmuxLog = opts.tmux ? path.join(dir, 'tmux.log') : undefined;
  await bundle('oldRsync.ts', path.join(dir, 'oldRsync.mjs'));
  fs.writeFileSync(path.join(bin, 'rsync'), `#!/bin/sh\nexec ${q(process.execPath)} ${q(path.join(dir, 'oldRsync.mjs'))} ${opts.rsync} ${q(rsyncLog)} ${q(which('rsync'))} -- "$@"\n`, { mode: 0o755 });
  if (tmuxLog) {
    await bundle('oldTmux.ts', path.join(dir, 'oldTmux.mjs'));
    fs.writeFileSync(path.join(bin, 'tmux'), `#!/bin/sh\nexec ${q(process.execPath)} ${q(path.join(dir, 'oldTmux.mjs'))} ${q(tmuxLog)} ${q(which('tmux'))} -- "$@"\n`, { mode: 0o755 });
  }
  // Every stand-in must be usable by the ssh login of the test sshd too (another process tree).
  execFileSync('chmod', ['-R', 'a+rX', dir]);
  const read = (f?: string) => (f && fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return { bin, rsyncLog, tmuxLog, invocations: (tool) => read(tool === 'rsync' ? rsyncLog : tmuxLog) };
}

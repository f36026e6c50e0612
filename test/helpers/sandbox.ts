// A per-test sandbox: a short temp dir (/tmp/<prefix>XXXXXX, so unix socket paths inside stay
// well under the 108-byte limit) with a fresh HOME and TMPDIR, and a clean environment builder.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface Sandbox {
  /** The sandbox root, e.g. /tmp/sbA1b2C3 */
  dir: string;
  /** A fresh, empty HOME inside dir (no .bashrc, no .ssh). */
  home: string;
  /** TMPDIR inside dir. */
  tmp: string;
  /** extraFirst, then the node binary's dir, then the system dirs (deduplicated), ':'-joined. */
  buildPath(extraFirst?: string[]): string;
  /** A clean environment: HOME, PATH, LANG=C.UTF-8, TERM, TMPDIR, plus exactly `extra`
   *  (which may override any of them). Nothing is inherited from process.env. */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** Makes (recursively) and returns dir/<rel>. */
  mkdir(rel: string): string;
  cleanup(): void;
}

export function makeSandbox(prefix = 'sb'): Sandbox {
  if (!/^[A-Za-z0-9_.-]{1,12}$/.test(prefix)) {
    throw new Error(`makeSandbox: prefix must be 1-12 chars of [A-Za-z0-9_.-] (got ${JSON.stringify(prefix)})`);
  }
  const dir = mkdtempSync(join('/tmp', prefix));
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(tmp, { mode: 0o700 });

  const buildPath = (extraFirst: string[] = []): string => {
    const all = [...extraFirst, dirname(process.execPath), ...SYSTEM_PATH];
    return [...new Set(all.filter(Boolean))].join(':');
  };

  const env = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
    const base: Record<string, string> = {
      HOME: home,
      PATH: buildPath(),
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
      TMPDIR: tmp,
    };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  };

  return {
    dir,
    home,
    tmp,
    buildPath,
    env,
    mkdir: (rel: string) => {
      const p = join(dir, rel);
      mkdirSync(p, { recursive: true });
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

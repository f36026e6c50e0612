// A WAN link test bed: the DR host in its own network namespace, reached over a veth pair whose
// two ends are shaped with `tc qdisc ... tbf` (rate a parameter, both directions). Needs root
// and iproute2; real kernel networking, no mocks. netem is not assumed (not in every kernel):
// round-trip delay is emulated by a delaying TCP relay instead (netns-relay.ts).
//
// Robust clean-up, because a crashed test must not leave namespaces behind:
//  - names are unique per process: namespace `drlink-<pid>-<n>`, veth `drl<pid36>-<n>h|n`;
//  - the owner (pid + process start time, so a reused pid does not count) is recorded in
//    /run/drlink/<ns>.json before anything is created;
//  - createLink() first sweeps what dead owners left (sweepStaleLinks: processes in the
//    namespace killed, namespace and host veth deleted, owner file removed);
//  - dispose() is idempotent, and a process 'exit' hook disposes what is still up.
// Addresses: one /30 of 10.213.0.0/16 per link, chosen under a lock (mkdir) so two processes
// creating links at once never pick the same subnet.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, execOk, sleep, type ExecOptions, type ExecResult } from './proc.ts';

export const OWNER_DIR = '/run/drlink';
const NS_PREFIX = 'drlink-';
const LOCK = join(OWNER_DIR, 'alloc.lock');

export interface LinkOptions {
  /** Link rate in Mbit/s (each direction). */
  rateMbit: number;
  /** tbf bucket in bytes. Default: max(128 KiB, 5 ms at the rate) — room for one GSO packet. */
  burstBytes?: number;
}

export interface Link {
  /** Namespace name (ip netns). */
  ns: string;
  hostIf: string;
  nsIf: string;
  /** Address of the host end (production side). */
  hostAddr: string;
  /** Address of the DR end, inside the namespace. */
  nsAddr: string;
  rateMbit: number;
  /** argv prefix that runs a program inside the namespace: ['ip', 'netns', 'exec', ns]. */
  wrap: string[];
  /** Runs argv inside the namespace. */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Bytes the host end's shaper has sent so far (tc -s: prod → DR traffic). */
  shapedBytes(): Promise<number>;
  dispose(): Promise<void>;
}

function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]; // field 22: starttime
  } catch {
    return undefined;
  }
}

function ownerAlive(o: { pid: number; start: string } | undefined): boolean {
  return !!o && procStart(o.pid) === o.start;
}

function readOwner(ns: string): { pid: number; start: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(OWNER_DIR, `${ns}.json`), 'utf8')) as { pid: number; start: string };
  } catch {
    return undefined;
  }
}

function ipSync(args: string[]): { code: number; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout ?? '' };
}

/** Removes one link's namespace (after killing what runs in it), its host veth and owner file. Synchronous: usable in an exit hook. */
function teardown(ns: string, hostIf: string | undefined): void {
  const pids = ipSync(['netns', 'pids', ns]).out.split('\n').filter((l) => /^\d+$/.test(l));
  for (const p of pids) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {}
  }
  ipSync(['netns', 'del', ns]);
  if (hostIf) ipSync(['link', 'del', hostIf]); // gone with its peer already, unless the peer never moved
  rmSync(join(OWNER_DIR, `${ns}.json`), { force: true });
}

const live = new Map<string, string>(); // ns → host interface
let hookInstalled = false;
function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const [ns, hostIf] of live) teardown(ns, hostIf);
  });
}

/** Link namespaces and host veths (ours by name) whose owner process is gone; removes them and returns their names. */
export function sweepStaleLinks(): string[] {
  const swept: string[] = [];
  const names = ipSync(['netns', 'list']).out.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(NS_PREFIX));
  const owners = existsSync(OWNER_DIR) ? readdirSync(OWNER_DIR).filter((f) => f.startsWith(NS_PREFIX) && f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
  for (const ns of new Set([...names, ...owners])) {
    if (live.has(ns) || ownerAlive(readOwner(ns))) continue;
    teardown(ns, hostIfName(ns));
    swept.push(ns);
  }
  // host ends whose namespace never got its peer (a crash between the two steps)
  for (const l of ipSync(['-o', 'link', 'show']).out.split('\n')) {
    const m = /^\d+: (drl[0-9a-z]+-\d+h)[@:]/.exec(l);
    if (!m) continue;
    const ns = nsForHostIf(m[1]!);
    if (live.has(ns) || ownerAlive(readOwner(ns)) || names.includes(ns)) continue;
    ipSync(['link', 'del', m[1]!]);
    swept.push(m[1]!);
  }
  return swept;
}

function hostIfName(ns: string): string | undefined {
  const m = /^drlink-(\d+)-(\d+)$/.exec(ns);
  return m ? `drl${Number(m[1]).toString(36)}-${m[2]}h` : undefined;
}
function nsForHostIf(hostIf: string): string {
  const m = /^drl([0-9a-z]+)-(\d+)h$/.exec(hostIf)!;
  return `${NS_PREFIX}${parseInt(m[1]!, 36)}-${m[2]}`;
}

async function withAllocLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(OWNER_DIR, { recursive: true, mode: 0o700 });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'owner'), JSON.stringify({ pid: process.pid, start: procStart(process.pid) }));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid: number; start: string } | undefined;
      try {
        holder = JSON.parse(readFileSync(join(LOCK, 'owner'), 'utf8'));
      } catch {}
      if (i > 20 && !ownerAlive(holder)) rmSync(LOCK, { recursive: true, force: true }); // its owner died holding it
      if (i > 600) throw new Error(`netns: ${LOCK} held for 60 s by ${JSON.stringify(holder)}`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(join(LOCK, 'owner'), { force: true });
    rmdirSync(LOCK);
  }
}

async function usedSubnets(): Promise<Set<string>> {
  const r = await execOk(['ip', '-o', '-4', 'addr', 'show']);
  const out = new Set<string>();
  for (const m of r.stdout.matchAll(/inet (10\.213\.\d+)\.(\d+)\//g)) out.add(`${m[1]}.${Number(m[2]) & ~3}`);
  return out;
}

let counter = 0;

export async function createLink(o: LinkOptions): Promise<Link> {
  if (process.getuid?.() !== 0) throw new Error('createLink needs root (network namespaces, veth, tc)');
  if (!(o.rateMbit > 0)) throw new Error(`createLink: rateMbit must be > 0 (got ${o.rateMbit})`);
  installExitHook();
  sweepStaleLinks();
  const n = ++counter;
  const ns = `${NS_PREFIX}${process.pid}-${n}`;
  const hostIf = hostIfName(ns)!;
  const nsIf = hostIf.replace(/h$/, 'n');
  const burst = o.burstBytes ?? Math.max(128 * 1024, Math.round((o.rateMbit * 1e6) / 8 / 200));
  let hostAddr = '';
  let nsAddr = '';
  const ip = (args: string[]) => execOk(['ip', ...args]);
  await withAllocLock(async () => {
    const used = await usedSubnets();
    let subnet: string | undefined;
    for (let k = 0; k < 16384 && !subnet; k++) {
      const idx = (process.pid * 8 + n + k) % 16384;
      const s = `10.213.${idx >> 6}.${(idx & 63) * 4}`;
      if (!used.has(s)) subnet = s;
    }
    if (!subnet) throw new Error('netns: no free /30 in 10.213.0.0/16');
    const [a, b, c, d] = subnet.split('.').map(Number);
    hostAddr = `${a}.${b}.${c}.${d! + 1}`;
    nsAddr = `${a}.${b}.${c}.${d! + 2}`;
    writeFileSync(join(OWNER_DIR, `${ns}.json`), JSON.stringify({ pid: process.pid, start: procStart(process.pid) }), { mode: 0o600 });
    live.set(ns, hostIf);
    try {
      await ip(['netns', 'add', ns]);
      await ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
      await ip(['link', 'set', nsIf, 'netns', ns]);
      await ip(['addr', 'add', `${hostAddr}/30`, 'dev', hostIf]);
      await ip(['link', 'set', hostIf, 'up']);
      await ip(['-n', ns, 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf]);
      await ip(['-n', ns, 'link', 'set', nsIf, 'up']);
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    } catch (e) {
      teardown(ns, hostIf);
      live.delete(ns);
      throw e;
    }
  });
  const tbf = ['tbf', 'rate', `${o.rateMbit}mbit`, 'burst', String(burst), 'latency', '50ms'];
  try {
    await execOk(['tc', 'qdisc', 'replace', 'dev', hostIf, 'root', ...tbf]);
    await execOk(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'replace', 'dev', nsIf, 'root', ...tbf]);
  } catch (e) {
    teardown(ns, hostIf);
    live.delete(ns);
    throw e;
  }
  const wrap = ['ip', 'netns', 'exec', ns];
  return {
    ns,
    hostIf,
    nsIf,
    hostAddr,
    nsAddr,
    rateMbit: o.rateMbit,
    wrap,
    exec: (argv, opts) => exec([...wrap, ...argv], opts),
    shapedBytes: async () => {
      const r = await execOk(['tc', '-s', 'qdisc', 'show', 'dev', hostIf]);
      const m = /Sent (\d+) bytes/.exec(r.stdout);
      return m ? Number(m[1]) : 0;
    },
    dispose: async () => {
      if (!live.has(ns)) return;
      teardown(ns, hostIf);
      live.delete(ns);
    },
  };
}

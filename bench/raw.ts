// Raw transfer methods over ssh, measured against the test harness sshd on 127.0.0.1.
//
//   npx tsx bench/raw.ts --bytes 1G            # skewed set + 750 small files in 100 dirs
//   npx tsx bench/raw.ts --bytes 512M --only skewed --methods tar,rsync
//
// Methods (all with `-c aes128-gcm@openssh.com` and the same ssh options):
//   tar    one stream: tar -C src -cf - . | ssh HOST 'tar -C dst -xf -'  (two processes, one pipe)
//   rsync  one rsync -a -e "ssh ..." src/ HOST:dst/
//   xargs  the seed's `find | xargs -P4 -I{} rsync -avzP --append-verify {} HOST:dst/...`:
//          a pool of 4 concurrent rsyncs, one per file (dst dirs made first with one ssh)
//   zstd   one rsync -a --compress-choice=zstd --compress-level=1
//   gcm2   two long-lived rsync -a --files-from=- (aes128-gcm), files split by size
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CIPHER = 'aes128-gcm@openssh.com';

export interface RawTarget {
  /** user@host */
  target: string;
  /** ssh options (-p, -i, -o ..., -F /dev/null); the cipher is added here. */
  sshArgs(): string[];
}

export interface RawResult {
  method: string;
  seconds: number;
  bytes: number;
  /** 10^6 bytes per second */
  mbPerSec: number;
  files: number;
}

export type RawMethod = (src: string, dst: string, t: RawTarget) => Promise<RawResult>;

function shq(s: string): string {
  return /^[A-Za-z0-9_\/.,:=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** ssh argv words joined for `rsync -e` (rsync splits on blanks and honours quotes). */
function rshString(t: RawTarget): string {
  return ['ssh', ...t.sshArgs(), '-c', CIPHER].map(shq).join(' ');
}

/** Regular files under dir, relative paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
  }
  return out.sort();
}

async function totalSize(dir: string, files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(join(dir, f))).size;
  return n;
}

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function spawnCollect(argv: string[], stdin: 'ignore' | 'pipe' | NodeJS.ReadableStream = 'ignore'): { child: ReturnType<typeof spawn>; done: Promise<Done> } {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: [stdin as 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    if (stderr.length < 20_000) stderr += b.toString();
  });
  const done = new Promise<Done>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code, signal) => res({ code, signal, stderr }));
  });
  return { child, done };
}

async function runOk(argv: string[]): Promise<void> {
  const { child, done } = spawnCollect(argv);
  child.stdout!.resume(); // discard (rsync -P progress)
  const r = await done;
  if (r.code !== 0) throw new Error(`${argv[0]} failed (exit ${r.code}, ${r.signal ?? 'no signal'}): ${argv.join(' ')}\n${r.stderr.trim()}`);
}

async function timed(method: string, src: string, body: () => Promise<void>): Promise<RawResult> {
  const files = await listFiles(src);
  const bytes = await totalSize(src, files);
  const t0 = performance.now();
  await body();
  const seconds = (performance.now() - t0) / 1000;
  return { method, seconds, bytes, mbPerSec: bytes / 1e6 / seconds, files: files.length };
}

/** (a) tar -C src -cf - . | ssh HOST 'mkdir -p dst && tar -C dst -xf -' */
export const tarOverSsh: RawMethod = (src, dst, t) =>
  timed('tar | ssh', src, async () => {
    const tar = spawnCollect(['tar', '-C', src, '-cf', '-', '.']);
    const remote = `mkdir -p ${shq(dst)} && tar -C ${shq(dst)} -xf -`;
    const ssh = spawnCollect(['ssh', ...t.sshArgs(), '-c', CIPHER, t.target, remote], tar.child.stdout!);
    // ssh now holds its own copy of the pipe's read end; close ours, or we would either steal
    // data (if read) or keep tar's 'close' from ever firing (if left paused).
    tar.child.stdout!.destroy();
    ssh.child.stdout!.resume();
    const [a, b] = await Promise.all([tar.done, ssh.done]);
    if (a.code !== 0) throw new Error(`tar -c failed (exit ${a.code}): ${a.stderr.trim()}`);
    if (b.code !== 0) throw new Error(`ssh tar -x failed (exit ${b.code}): ${b.stderr.trim()}`);
  });

/** (b) rsync -a -e "ssh ..." src/ HOST:dst/ */
export const rsyncSingle: RawMethod = (src, dst, t) =>
  timed('rsync -a', src, () => runOk(['rsync', '-a', '-e', rshString(t), `${src}/`, `${t.target}:${dst}/`]));

/** (c) 4 concurrent `rsync -avzP --append-verify FILE HOST:dst/<dir>/`, one per file. */
export function rsyncParallel(concurrency = 4): RawMethod {
  return (src, dst, t) =>
    timed(`xargs -P${concurrency} rsync -avzP`, src, async () => {
      const files = await listFiles(src);
      const dirs = [...new Set(files.map((f) => join(dst, dirname(f))))];
      await runOk(['ssh', ...t.sshArgs(), '-c', CIPHER, t.target, `mkdir -p ${dirs.map(shq).join(' ')}`]);
      const rsh = rshString(t);
      let next = 0;
      const worker = async () => {
        while (next < files.length) {
          const f = files[next++];
          await runOk(['rsync', '-avzP', '--append-verify', '-e', rsh, join(src, f), `${t.target}:${join(dst, dirname(f))}/`]);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
    });
}

/** (d) rsync -a with zstd level 1 (both ends 3.2+). */
export const rsyncZstd: RawMethod = (src, dst, t) =>
  timed('rsync -a zstd', src, () => runOk(['rsync', '-a', '--compress', '--compress-choice=zstd', '--compress-level=1', '-e', rshString(t), `${src}/`, `${t.target}:${dst}/`]));

/** Files split by size into n lists of about equal bytes (largest first, each to the lightest list). */
export async function splitBySize(src: string, n: number): Promise<string[][]> {
  const files = await listFiles(src);
  const sized = await Promise.all(files.map(async (f) => ({ f, bytes: (await stat(join(src, f))).size })));
  sized.sort((a, b) => b.bytes - a.bytes);
  const lists = Array.from({ length: n }, () => ({ files: [] as string[], bytes: 0 }));
  for (const x of sized) {
    const l = lists.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    l.files.push(x.f);
    l.bytes += x.bytes;
  }
  return lists.map((l) => l.files).filter((l) => l.length);
}

/** (e) The strongest raw method on loopback: two long-lived rsyncs (aes128-gcm), files split by size into two --files-from lists. */
export function rsyncStreams(n = 2, extra: string[] = []): RawMethod {
  return (src, dst, t) =>
    timed(`${n} x rsync${extra.length ? ' zstd' : ''} --files-from (by size)`, src, async () => {
      const lists = await splitBySize(src, n);
      await Promise.all(
        lists.map(async (files) => {
          const { child, done } = spawnCollect(['rsync', '-a', ...extra, '--files-from=-', '-e', rshString(t), `${src}/`, `${t.target}:${dst}/`], 'pipe');
          child.stdout!.resume();
          child.stdin!.end(files.join('\n') + '\n');
          const r = await done;
          if (r.code !== 0) throw new Error(`rsync --files-from failed (exit ${r.code}): ${r.stderr.trim()}`);
        }),
      );
    });
}

export const METHODS: Record<string, RawMethod> = {
  tar: tarOverSsh,
  rsync: rsyncSingle,
  xargs: rsyncParallel(4),
  zstd: rsyncZstd,
  gcm2: rsyncStreams(2),
};

function sha256File(p: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(p)
      .on('data', (b) => h.update(b))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** Throws unless dst holds exactly src's files with identical content (sha256). */
export async function verifyIdentical(src: string, dst: string): Promise<void> {
  const a = await listFiles(src);
  const b = await listFiles(dst);
  if (a.join('\n') !== b.join('\n')) {
    const missing = a.filter((x) => !b.includes(x)).slice(0, 5);
    const extra = b.filter((x) => !a.includes(x)).slice(0, 5);
    throw new Error(`file lists differ: missing ${JSON.stringify(missing)} extra ${JSON.stringify(extra)}`);
  }
  for (const f of a) {
    const [x, y] = await Promise.all([sha256File(join(src, f)), sha256File(join(dst, f))]);
    if (x !== y) throw new Error(`content differs: ${f}`);
  }
}

export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B)?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size: ${s}`);
  const mult = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * mult);
}

function fmtBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
}

export function formatTable(title: string, rows: RawResult[]): string {
  const head = ['method', 'files', 'bytes', 'seconds', 'MB/s'];
  const body = rows.map((r) => [r.method, String(r.files), fmtBytes(r.bytes), r.seconds.toFixed(2), r.mbPerSec.toFixed(1)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  return [title, line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const opt = (name: string, def: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : def;
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      'usage: npx tsx bench/raw.ts [--bytes 1G] [--large 6] [--small 60] [--seed 42]\n' +
        '       [--many-files 750] [--many-dirs 100] [--many-bytes 64K]\n' +
        '       [--only skewed|many] [--methods tar,rsync,xargs,zstd,gcm2] [--keep]',
    );
    return;
  }
  const { startSshd } = await import('../test/helpers/sshd.ts');
  const { makeSkewedDataset, makeManySmall } = await import('./dataset.ts');
  const methods = opt('methods', 'tar,rsync,xargs,zstd,gcm2').split(',').map((m) => m.trim());
  for (const m of methods) if (!METHODS[m]) throw new Error(`unknown method ${m} (have ${Object.keys(METHODS).join(', ')})`);
  const only = opt('only', '');
  const work = await mkdtemp('/tmp/bench');
  const keep = argv.includes('--keep');
  // Ctrl-C / timeout: exit through process.exit so the exit hooks kill sshd and clean up.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => process.exit(130));
  process.on('exit', () => {
    if (!keep) rmSync(work, { recursive: true, force: true });
  });
  const sshd = await startSshd({ prefix: 'bsshd', logLevel: 'ERROR' });
  try {
    // ssh connection time: a full login + `true`, averaged
    const n = 10;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await sshd.ssh('true');
      if (r.code !== 0) throw new Error(`ssh true failed: ${r.stderr}`);
    }
    console.log(`ssh connect + 'true' (cipher default): ${((performance.now() - t0) / n).toFixed(0)} ms average over ${n}`);
    console.log(`rsync: ${(await (await import('../test/helpers/proc.ts')).exec(['rsync', '--version'])).stdout.split('\n')[0]}`);

    const sets: { title: string; make: (dir: string) => Promise<{ totalBytes: number; files: unknown[] }> }[] = [];
    if (only !== 'many') {
      const bytes = parseSize(opt('bytes', '1G'));
      const large = Number(opt('large', '6'));
      const small = Number(opt('small', '60'));
      const seed = opt('seed', '42');
      sets.push({
        title: `skewed: ${fmtBytes(bytes)}, ${large} large + ${small} small files, half random/half zeros`,
        make: (d) => makeSkewedDataset(d, { totalBytes: bytes, largeFiles: large, smallFiles: small, seed }),
      });
    }
    if (only !== 'skewed') {
      const files = Number(opt('many-files', '750'));
      const dirs = Number(opt('many-dirs', '100'));
      const bytes = parseSize(opt('many-bytes', '64K'));
      sets.push({
        title: `many small: ${files} files x ${fmtBytes(bytes)} in ${dirs} dirs`,
        make: (d) => makeManySmall(d, { files, dirs, bytes, seed: opt('seed', '42') }),
      });
    }
    for (const set of sets) {
      const src = join(work, 'src');
      await rm(src, { recursive: true, force: true });
      const tm = performance.now();
      const ds = await set.make(src);
      console.log(`\ncreated ${ds.files.length} files, ${fmtBytes(ds.totalBytes)} in ${((performance.now() - tm) / 1000).toFixed(1)} s`);
      const rows: RawResult[] = [];
      for (const m of methods) {
        const dst = join(work, `dst-${m}`);
        await rm(dst, { recursive: true, force: true });
        await runOk(['mkdir', '-p', dst]);
        await runOk(['sync']);
        const r = await METHODS[m](src, dst, sshd);
        await verifyIdentical(src, dst);
        rows.push(r);
        console.log(`  ${r.method}: ${r.seconds.toFixed(2)} s, ${r.mbPerSec.toFixed(1)} MB/s (verified identical)`);
        await rm(dst, { recursive: true, force: true });
      }
      console.log('\n' + formatTable(set.title, rows));
    }
  } finally {
    await sshd.dispose();
    if (!keep) await rm(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

// Runs one rsync process over a list of files and reports, as they happen, each file the
// sender has finished reading and the batch's byte progress (lib/rsyncOutput.ts reads the
// lines). A batch is verified only when rsync exits 0: the receiver checks a whole-file
// checksum; a file it had to send a second time for that is reported in `resent`.
import type { ChildProcess } from 'node:child_process';
import { PreconditionError } from './errors.ts';
import { spawnLong, waitExit } from './exec.ts';
import { OUT_FORMAT, parseStderrLine, parseStdoutLine } from './rsyncOutput.ts';

export { describeExit, isRetryable } from './rsyncOutput.ts';

export interface RsyncBatch {
  rsync: string; // program
  args: string[]; // flags (mode-specific, from the caller)
  rsh?: string; // value for -e
  /** Paths relative to srcRoot, sent on stdin (--files-from=-), or absolute sources when srcRoot is undefined. */
  files: string[];
  srcRoot?: string;
  destSpec: string;
  onFileSent?: (name: string, bytes: number) => void;
  onProgress?: (bytesInBatch: number) => void;
  onOutput?: (line: string) => void;
  onStart?: (argv: string[]) => void;
}

export interface RsyncResult {
  code: number;
  signal: string | null;
  /** Names from --out-format lines (relative to srcRoot, or basenames) → the file's length. */
  sent: Map<string, number>;
  /** Names rsync sent a second time (phase 2) or reported as failing verification on DR. */
  resent: Set<string>;
  errors: string[];
}

export interface RunningRsync {
  child: ChildProcess;
  done: Promise<RsyncResult>;
}

export function startRsync(b: RsyncBatch): RunningRsync {
  const argv = [b.rsync, ...b.args, `--out-format=${OUT_FORMAT}`];
  // -s (--protect-args; --secluded-args since 3.2.7, -s kept): file names travel inside the
  // protocol, not through the remote shell, which before 3.2.4 split a DR path at spaces.
  // Every rsync from 3.0.0 accepts it (options.c at v3.1.2 ... v3.4.1).
  if (b.rsh) argv.push('-s', '-e', b.rsh);
  if (b.srcRoot !== undefined) argv.push('--files-from=-', b.srcRoot.endsWith('/') ? b.srcRoot : `${b.srcRoot}/`);
  else argv.push('--', ...b.files);
  argv.push(b.destSpec);
  b.onStart?.(argv);
  const child = spawnLong(argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  const sent = new Map<string, number>();
  const resent = new Set<string>();
  const errors: string[] = [];
  const handle = (line: string) => {
    if (line === '') return;
    const p = parseStdoutLine(line);
    if (p.kind === 'file') {
      if (sent.has(p.name)) resent.add(p.name);
      sent.set(p.name, Math.min(p.length, sent.get(p.name) ?? p.length));
      b.onFileSent?.(p.name, p.length);
    } else if (p.kind === 'progress') b.onProgress?.(p.bytes);
    else if (p.kind === 'other') b.onOutput?.(p.text);
  };
  const handleErr = (line: string) => {
    if (line.trim() === '') return;
    const p = parseStderrLine(line);
    if (p.kind === 'verification') resent.add(p.name);
    errors.push(line);
    b.onOutput?.(line);
  };
  let outBuf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    outBuf += chunk;
    const parts = outBuf.split(/[\r\n]/);
    outBuf = parts.pop()!;
    parts.forEach(handle);
  });
  let errBuf = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    errBuf += chunk;
    const parts = errBuf.split('\n');
    errBuf = parts.pop()!;
    parts.forEach(handleErr);
  });
  child.stdin!.on('error', () => {});
  if (b.srcRoot !== undefined) child.stdin!.end(b.files.join('\n') + '\n');
  else child.stdin!.end();
  const done = waitExit(child).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new PreconditionError(`${b.rsync}: command not found`, 'install rsync (3.1.2 or later) or set rsync.path');
    throw err;
  }).then(({ code, signal }) => {
    if (outBuf) handle(outBuf);
    if (errBuf.trim()) handleErr(errBuf.trim());
    return { code, signal, sent, resent, errors };
  });
  return { child, done };
}

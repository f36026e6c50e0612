// Runs one rsync process over a list of files and reports, as they happen, each file the
// sender has finished reading (its --out-format line is printed after the data was sent
// because the format contains %b) and the batch's byte progress (--info=progress2).
// A batch is verified only when rsync exits 0: the receiver checks a whole-file checksum.
import type { ChildProcess } from 'node:child_process';
import { PreconditionError } from './errors.ts';
import { spawnLong, waitExit } from './exec.ts';

const FILE_LINE = '@@F|';

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
  /** Names from --out-format lines (relative to srcRoot, or basenames). */
  sent: Map<string, number>;
  errors: string[];
}

export interface RunningRsync {
  child: ChildProcess;
  done: Promise<RsyncResult>;
}

/** rsync exit codes worth another try: protocol/stream, partial transfer, vanished, timeouts, ssh failure. */
export function isRetryable(code: number): boolean {
  return [10, 11, 12, 23, 24, 30, 35, 255].includes(code);
}

export function describeExit(code: number): string {
  const known: Record<number, string> = {
    1: 'syntax or usage error',
    3: 'errors selecting input/output files, dirs',
    5: 'error starting client-server protocol',
    10: 'error in socket I/O',
    11: 'error in file I/O',
    12: 'error in rsync protocol data stream',
    20: 'received SIGUSR1 or SIGINT',
    23: 'partial transfer due to error',
    24: 'partial transfer due to vanished source files',
    30: 'timeout in data send/receive',
    35: 'timeout waiting for daemon connection',
    255: 'ssh connection failed',
  };
  return `rsync exit code ${code}${known[code] ? ` (${known[code]})` : ''}`;
}

export function startRsync(b: RsyncBatch): RunningRsync {
  const argv = [b.rsync, ...b.args, `--out-format=${FILE_LINE}%l|%b|%n`];
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
  const errors: string[] = [];
  const handle = (line: string) => {
    if (line === '') return;
    if (line.startsWith(FILE_LINE)) {
      const [len, , ...rest] = line.slice(FILE_LINE.length).split('|');
      const name = rest.join('|');
      if (name.endsWith('/')) return; // implied directory
      sent.set(name, Number(len));
      b.onFileSent?.(name, Number(len));
      return;
    }
    const m = /^\s*([\d,]+)\s+\d+%/.exec(line);
    if (m) {
      b.onProgress?.(Number(m[1].replace(/,/g, '')));
      return;
    }
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
    for (const l of parts) {
      if (l.trim() === '') continue;
      errors.push(l);
      b.onOutput?.(l);
    }
  });
  child.stdin!.on('error', () => {});
  if (b.srcRoot !== undefined) child.stdin!.end(b.files.join('\n') + '\n');
  else child.stdin!.end();
  const done = waitExit(child).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new PreconditionError(`${b.rsync}: command not found`, 'install rsync (3.1.2 or later) or set rsync.path');
    throw err;
  }).then(({ code, signal }) => {
    if (outBuf) handle(outBuf);
    if (errBuf.trim()) errors.push(errBuf.trim());
    return { code, signal, sent, errors };
  });
  return { child, done };
}

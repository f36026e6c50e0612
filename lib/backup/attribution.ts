// Which files of a finished rsync batch are not verified, and why. Pure: no processes.
import { describeExit, isRetryable, parseStderrLine } from '../rsyncOutput.ts';
import { relativeToRoot, type Batch, type FilePlan } from './plan.ts';

export interface BatchResult {
  code: number;
  /** Names from the sender's out-format lines → the file's length. */
  sent: Map<string, number>;
  /** Names sent a second time (phase 2) or reported as failing verification on DR. */
  resent: Set<string>;
  errors: string[];
}

export interface FileFailure {
  why: string;
  /** Worth copying again in a new backup window (rsync.retries permitting). */
  retry: boolean;
}

/**
 * The least a complete copy of a datafile holds: V$DATAFILE/DBA_DATA_FILES.BYTES does not
 * count the OS header block in front of the file header, which is one database block, and
 * the smallest database block is 2 KiB (file size = BYTES + DB_BLOCK_SIZE). BYTES 0 means
 * unknown (an inaccessible file): then nothing is required.
 */
export const OS_HEADER_MIN = 2048;
export function minimumLength(f: FilePlan): number {
  return f.bytes > 0 ? f.bytes + OS_HEADER_MIN : 0;
}

const RESENT =
  "rsync's whole-file checksum failed on DR and rsync sent the file a second time, possibly after END BACKUP: it must be copied again inside a backup window";

/**
 * Exit 0: a file fails when rsync did not report it, reported it shorter than its size in
 * the database (a symbolic link sent as a link, a truncated file), or had to send it twice.
 * Exit 23/24 (partial transfer, vanished file): rsync names each file it failed on, so only
 * the files an error line names fail, provided every error line names one of them; otherwise,
 * and for every other exit code, the whole batch failed.
 */
export function failedInBatch(batch: Batch, res: BatchResult): Map<FilePlan, FileFailure> {
  const failed = new Map<FilePlan, FileFailure>();
  const rel = (f: FilePlan) => relativeToRoot(f.source, batch.srcRoot);
  const exitWhy = describeExit(res.code) + (res.errors.length ? `: ${res.errors.slice(-3).join(' | ')}` : '');
  if (res.code !== 0 && res.code !== 23 && res.code !== 24) {
    for (const f of batch.files) failed.set(f, { why: exitWhy, retry: isRetryable(res.code) });
    return failed;
  }
  if (res.code !== 0) {
    const names = (f: FilePlan) => [f.source, f.dest, rel(f)].map((n) => `"${n}"`);
    const verification = (e: string) => {
      const p = parseStderrLine(e);
      return p.kind === 'verification' ? p.name : undefined;
    };
    const names1 = (f: FilePlan, e: string) => names(f).some((n) => e.includes(n)) || verification(e) === rel(f);
    const specific = res.errors.filter((e) => !/^rsync error: /.test(e) && !/^rsync warning: /.test(e));
    const named = batch.files.filter((f) => res.errors.some((e) => names1(f, e)));
    const allAttributed = named.length > 0 && specific.every((e) => batch.files.some((f) => names1(f, e)));
    for (const f of allAttributed ? named : batch.files) failed.set(f, { why: exitWhy, retry: isRetryable(res.code) });
  }
  for (const f of batch.files) {
    if (failed.has(f)) continue;
    const name = rel(f);
    const length = res.sent.get(name);
    if (length === undefined) failed.set(f, { why: res.code === 0 ? 'rsync exited 0 but did not report the file' : exitWhy, retry: isRetryable(res.code) });
    else if (res.resent.has(name)) failed.set(f, { why: RESENT, retry: true });
    else if (length < minimumLength(f))
      failed.set(f, {
        why: `rsync sent ${length} bytes, less than the ${f.bytes} bytes the database gives it plus its header block: not a complete datafile`,
        retry: false,
      });
  }
  return failed;
}

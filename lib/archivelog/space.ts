// How full the local archive destinations are, as the shipper sees them on each pass, for
// status and alerts (an archiver stuck on a full destination stops production: facts §3).
// It costs production nothing new: V$ARCHIVE_DEST is read by the pass anyway, the free space
// of a directory destination is one statfs, and V$RECOVERY_FILE_DEST (one row, no file read)
// is queried at most once a minute. Whether V$ARCHIVE_DEST.DESTINATION names the fast
// recovery area's directory or shows USE_DB_RECOVERY_FILE_DEST is not confirmed, so both the
// directory's filesystem (when it is one) and the recovery area's quota (when one is set)
// are reported, and status uses the fuller of the two.
import fs from 'node:fs';
import path from 'node:path';
import type { ArchiveDest, Database, RecoveryFileDest } from '../db/database.ts';
import { writeJsonAtomic } from '../state.ts';

export interface DestSpace {
  destId: number;
  status: string; // V$ARCHIVE_DEST.STATUS: VALID, ERROR, FULL, DISABLED, ...
  error: string;
  destination: string;
  /** The destination directory's filesystem; absent when DESTINATION is not a directory here. */
  filesystem?: { totalBytes: number; freeBytes: number; usedPercent: number };
}

export interface ArchiveDestReport {
  observedAt: string;
  dests: DestSpace[];
  /** The fast recovery area's quota, when one is set (SPACE_LIMIT > 0). */
  recoveryArea?: { name: string; limitBytes: number; usedBytes: number; reclaimableBytes: number; usedPercent: number };
  /** Why the recovery area could not be read (the pass goes on without it). */
  recoveryAreaError?: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function filesystemOf(dir: string): DestSpace['filesystem'] {
  if (!path.isAbsolute(dir)) return undefined;
  try {
    if (!fs.statSync(dir).isDirectory()) return undefined;
    const st = fs.statfsSync(dir);
    const total = st.blocks * st.bsize;
    const free = st.bavail * st.bsize; // what a non-root writer (the archiver) can still use
    const usable = (st.blocks - st.bfree + st.bavail) * st.bsize;
    return { totalBytes: total, freeBytes: free, usedPercent: usable > 0 ? round1(((usable - free) / usable) * 100) : 0 };
  } catch {
    return undefined;
  }
}

/** The recovery area's usage; what RMAN may reclaim counts as free (Oracle deletes it when space is needed). */
export function recoveryAreaUsage(r: RecoveryFileDest | undefined): ArchiveDestReport['recoveryArea'] {
  if (!r || r.limitBytes <= 0) return undefined;
  const used = Math.max(0, r.usedBytes - r.reclaimableBytes);
  return { name: r.name, limitBytes: r.limitBytes, usedBytes: r.usedBytes, reclaimableBytes: r.reclaimableBytes, usedPercent: round1((used / r.limitBytes) * 100) };
}

export class ArchiveDestWatch {
  private fraAt = 0;
  private fra: { value?: RecoveryFileDest; error?: string } = {};

  constructor(
    private readonly file: string,
    private readonly fraEveryMs = 60_000,
  ) {}

  /** Writes what `dests` (this pass's V$ARCHIVE_DEST rows) and the disk say; never throws. */
  async record(db: Database, dests: ArchiveDest[], now = new Date()): Promise<ArchiveDestReport> {
    if (now.getTime() - this.fraAt >= this.fraEveryMs) {
      this.fraAt = now.getTime();
      try {
        this.fra = { value: await db.recoveryFileDest() };
      } catch (e) {
        this.fra = { error: (e as Error).message.split('\n')[0] };
      }
    }
    const report: ArchiveDestReport = {
      observedAt: now.toISOString(),
      dests: dests.map((d) => {
        const fsInfo = filesystemOf(d.destination);
        return { destId: d.destId, status: d.status, error: d.error, destination: d.destination, ...(fsInfo && { filesystem: fsInfo }) };
      }),
    };
    const ra = recoveryAreaUsage(this.fra.value);
    if (ra) report.recoveryArea = ra;
    if (this.fra.error) report.recoveryAreaError = this.fra.error;
    try {
      writeJsonAtomic(this.file, report);
    } catch {
      // status then shows the previous observation with its age; shipping goes on
    }
    return report;
  }
}

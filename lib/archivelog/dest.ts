// Which local archive destinations copy_archivelog reads. V$ARCHIVED_LOG has a row per copy of
// each log (one per destination, DEST_ID 0 for RMAN's, §3): every local destination is read,
// so a log the FRA deleted under space pressure is still shipped from another destination; one
// of them is preferred (archivelog.local_dest_id, or the first VALID one). Destinations in ASM
// (+DISKGROUP) cannot be read from the filesystem: they are listed, never shipped from.
import { PreconditionError } from '../errors.ts';
import type { ArchiveDest } from '../db/database.ts';

/** An ASM file or disk group name: +DATA/DBPROD/..., +FRA. */
export function isAsmName(name: string): boolean {
  return name.startsWith('+');
}

/** The configured or available destinations cannot be read by this tool at all (ASM, a wrong DEST_ID): no later pass can cure it. */
export class UnusableDestinationError extends PreconditionError {}

export interface LocalDests {
  /** The destination whose copies are shipped first (and whose directory is watched for new files). */
  preferred: ArchiveDest;
  /** Every local destination (DEST_ID), ASM ones included, for the V$ARCHIVED_LOG query. */
  destIds: number[];
}

const ASM_HINT =
  "add a filesystem destination for it to read (e.g. ALTER SYSTEM SET LOG_ARCHIVE_DEST_3='LOCATION=/u12/arch' SCOPE=BOTH), or build and feed this standby with RMAN";

export function chooseLocalDests(dests: ArchiveDest[], configured: number | 'auto'): LocalDests {
  const destIds = dests.map((d) => d.destId);
  const readable = dests.filter((d) => !isAsmName(d.destination));
  if (dests.length && readable.length === 0) {
    throw new UnusableDestinationError(
      `every local archive destination is in ASM (${dests.map((d) => `destination ${d.destId}: ${d.destination}`).join('; ')}): copy_archivelog reads archived logs from a filesystem only`,
      ASM_HINT,
    );
  }
  if (configured !== 'auto') {
    const d = dests.find((x) => x.destId === configured);
    if (!d) {
      throw new UnusableDestinationError(
        `archive destination ${configured} is not a local destination of this database (local: ${destIds.join(', ') || 'none'})`,
        'set archivelog.local_dest_id to one of the local DEST_IDs in V$ARCHIVE_DEST, or to auto',
      );
    }
    if (isAsmName(d.destination)) {
      throw new UnusableDestinationError(
        `archive destination ${configured} is in ASM (${d.destination}): copy_archivelog reads archived logs from a filesystem only`,
        `set archivelog.local_dest_id to a filesystem destination (${readable.map((x) => x.destId).join(', ')}) or to auto`,
      );
    }
    return { preferred: d, destIds };
  }
  const valid = readable.filter((d) => d.status === 'VALID');
  if (valid.length === 0) {
    throw new PreconditionError(
      `no VALID local archive destination (${dests.map((d) => `dest ${d.destId}: ${d.status}${d.error ? ` ${d.error}` : ''}`).join('; ') || 'none configured'})`,
      'check V$ARCHIVE_DEST and the archiver (a full destination stops ARCn: ORA-00257)',
    );
  }
  return { preferred: valid[0], destIds };
}

// Which local archive destination's V$ARCHIVED_LOG rows to read. One row per destination
// exists for every archived log (§3), so reading all destinations would list each log twice.
import { PreconditionError } from '../errors.ts';
import type { ArchiveDest } from '../db/database.ts';

export function chooseLocalDest(dests: ArchiveDest[], configured: number | 'auto'): ArchiveDest {
  if (configured !== 'auto') {
    const d = dests.find((x) => x.destId === configured);
    if (!d) {
      throw new PreconditionError(
        `archive destination ${configured} is not a local destination of this database (local: ${dests.map((x) => x.destId).join(', ') || 'none'})`,
        'set archivelog.local_dest_id to one of the local DEST_IDs in V$ARCHIVE_DEST, or to auto',
      );
    }
    return d;
  }
  const valid = dests.filter((d) => d.status === 'VALID');
  if (valid.length === 0) {
    throw new PreconditionError(
      `no VALID local archive destination (${dests.map((d) => `dest ${d.destId}: ${d.status}${d.error ? ` ${d.error}` : ''}`).join('; ') || 'none configured'})`,
      'check V$ARCHIVE_DEST and the archiver (a full destination stops ARCn: ORA-00257)',
    );
  }
  return valid[0];
}

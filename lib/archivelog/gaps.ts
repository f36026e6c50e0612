// Where a log the shipper cannot ship still exists, and what closes the gap. A gap is located
// once per pass that has one (V$BACKUP_REDOLOG is asked only then):
//  - production: a copy is listed in a destination this tool cannot read (ASM): copy it out;
//  - rman_backup: every copy is gone, an RMAN backup set holds it: RESTORE ARCHIVELOG, and the
//    next pass ships it (the restore is a DEST_ID 0 row, which the planner takes);
//  - nowhere: no copy and no backup: the standby cannot recover past it, only a new hot backup
//    cycle (a refresh of the DR copy) gets past it.
import type { ArchivedLogRow, BackupLogRow } from '../db/database.ts';
import { isAsmName } from './dest.ts';
import type { Gap } from './plan.ts';

export function locateGaps(gaps: Gap[], rows: ArchivedLogRow[], backups: BackupLogRow[]): Gap[] {
  return gaps.map((g): Gap => {
    const asm = rows.find((r) => r.thread === g.thread && r.sequence === g.sequence && r.status === 'A' && r.deleted !== 'YES' && isAsmName(r.name));
    if (asm) return { ...g, where: 'production', location: asm.name };
    const b = backups.filter((x) => x.thread === g.thread && x.sequence === g.sequence).at(-1);
    if (b) return { ...g, where: 'rman_backup', location: `backup set ${b.setStamp}/${b.setCount}` };
    return { ...g, where: 'nowhere' };
  });
}

function whereText(g: Gap): string | undefined {
  switch (g.where) {
    case 'production':
      return `it is still on production, in ASM (${g.location})`;
    case 'rman_backup':
      return `it exists only in an RMAN backup (${g.location})`;
    case 'nowhere':
      return 'it is in no RMAN backup either: it exists nowhere';
    default:
      return undefined;
  }
}

/** `thread 1 sequence 57 (<what is wrong with each copy>; <where it still exists>)`. */
export function gapText(g: Gap): string {
  const w = whereText(g);
  return `thread ${g.thread} sequence ${g.sequence} (${g.reason}${w ? `; ${w}` : ''})`;
}

const seqs = (gaps: Gap[]) => gaps.map((g) => `thread ${g.thread} sequence ${g.sequence}`).join(', ');

/** What closes these gaps, one sentence per kind, most serious first. */
export function gapHint(gaps: Gap[]): string {
  const nowhere = gaps.filter((g) => g.where === 'nowhere');
  const rman = gaps.filter((g) => g.where === 'rman_backup');
  const asm = gaps.filter((g) => g.where === 'production');
  const other = gaps.filter((g) => g.where === undefined);
  const out: string[] = [];
  if (nowhere.length) {
    out.push(`${seqs(nowhere)} cannot be shipped from anywhere: the standby cannot recover past it; take a new hot backup cycle (bin/orquestra_dr --new-cycle: on an existing DR copy it is a refresh that sends only the changed blocks)`);
  }
  if (rman.length) {
    out.push(`restore from RMAN: ${rman.map((g) => `RESTORE ARCHIVELOG SEQUENCE ${g.sequence} THREAD ${g.thread};`).join(' ')} copy_archivelog ships it on its next pass`);
  }
  if (asm.length) {
    out.push(`copy it out of ASM to a filesystem directory (RMAN: BACKUP AS COPY ARCHIVELOG SEQUENCE ${asm[0]!.sequence} THREAD ${asm[0]!.thread} FORMAT '/dir/%U';) and CATALOG ARCHIVELOG the copy; copy_archivelog ships it on its next pass`);
  }
  if (other.length) {
    out.push("restore the missing log(s) into the archive destination (RMAN: RESTORE ARCHIVELOG SEQUENCE n THREAD t), or catalog a copy you have (RMAN: CATALOG ARCHIVELOG '/path/file'), then run copy_archivelog again; if it cannot be restored, the standby must be rebuilt from a new hot backup");
  }
  return out.join('; ');
}

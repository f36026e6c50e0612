// The cutoff SCN of a backup cycle and the incarnation it belongs to. Both tools check, every
// time they reach the database (start, each shipping pass, after a reconnect), that
// production has not been opened with RESETLOGS since the cycle began: the standby cannot
// follow a new incarnation, and shipping its sequences 1, 2, ... as if they continued the old
// ones would leave healthy-looking state behind a standby that can never recover.
import fs from 'node:fs';
import path from 'node:path';
import type { ToolContext } from '../context.ts';
import type { Database, DatabaseInfo } from '../db/database.ts';
import { PreconditionError } from '../errors.ts';
import { readLockHolder } from '../lock.ts';
import { readTextIfExists, writeFileAtomic } from '../state.ts';
import { recoveredFromCheckpoint } from '../backup/containers.ts';
import type { DatafileRow } from '../backup/types.ts';

/** Production is a new incarnation: the standby of this cycle can never follow it. */
export class IncarnationChangedError extends PreconditionError {}

/** Throws when production's RESETLOGS_CHANGE# is not the one recorded with the cutoff. */
export function checkIncarnation(ctx: ToolContext, info: DatabaseInfo): void {
  const inc = readTextIfExists(ctx.state.incarnation())?.trim();
  if (inc && inc !== info.resetlogsScn.toString()) {
    throw new IncarnationChangedError(
      `production was opened with RESETLOGS since this backup cycle began (RESETLOGS_CHANGE# was ${inc}, now ${info.resetlogsScn}): the standby cannot follow the new incarnation`,
      'start a new backup cycle: orquestra_dr --new-cycle (every tablespace is copied again)',
    );
  }
}

/**
 * The cutoff SCN of this backup cycle: kept while the cycle lasts, recorded anew (with the
 * shipped-sequence state reset) for a new cycle. A RESETLOGS on production since the cycle
 * began is an error, never a silent restart at sequence 1 below the old state.
 */
export async function ensureCutoff(ctx: ToolContext, db: Database, fresh: boolean): Promise<bigint> {
  const file = ctx.state.scnCutoff();
  const existing = readTextIfExists(file)?.trim();
  const info = await db.info();
  if (existing && !fresh) {
    if (!/^\d+$/.test(existing)) throw new PreconditionError(`${file} does not hold an SCN: ${JSON.stringify(existing)}`, 'remove it (a new backup cycle then starts) or restore it');
    checkIncarnation(ctx, info);
    ctx.log.info(`cutoff SCN ${existing} (kept from ${file})`);
    return BigInt(existing);
  }
  const holder = readLockHolder(ctx.state.lock('hot_backup_ts'));
  if (holder?.alive) {
    throw new PreconditionError(`cannot record a new cutoff SCN while hot_backup_ts runs (pid ${holder.pid})`, 'let it finish or stop it (Ctrl-C ends backup mode), then start the new cycle');
  }
  const suffix = path.basename(ctx.state.lastArchSeq(1)).slice('last_arch_seq_thread1'.length);
  for (const f of fs.readdirSync(ctx.state.dir)) {
    if (/^last_arch_seq_thread\d+\./.test(f) && f.endsWith(suffix)) fs.rmSync(path.join(ctx.state.dir, f));
  }
  const current = await db.currentScn();
  const closed = info.cdb ? closedCheckpoint(await db.datafiles(), current) : undefined;
  const scn = closed?.scn ?? current;
  writeFileAtomic(ctx.state.incarnation(), `${info.resetlogsScn}\n`);
  writeFileAtomic(file, `${scn}\n`);
  const why = closed
    ? ` (the current SCN is ${current}, but container${closed.containers.length > 1 ? 's' : ''} ${closed.containers.join(', ')} ${closed.containers.length > 1 ? 'are' : 'is'} ${closed.modes.join(' or ')} and ${closed.containers.length > 1 ? 'their' : 'its'} files are recovered from their checkpoint SCN ${scn})`
    : '';
  ctx.log.info(`cutoff SCN ${scn} recorded in ${file}${why}: every archived log with NEXT_CHANGE# > ${scn} is shipped`);
  return scn;
}

/**
 * Container database: the oldest checkpoint of the files of closed (MOUNTED) or read-only PDBs
 * (recoveredFromCheckpoint), when older than `current`. Their copies are taken as they are, and
 * the standby recovers them from that checkpoint, so the cycle's archived logs must start
 * there, not at the current SCN.
 */
export function closedCheckpoint(rows: DatafileRow[], current: bigint): { scn: bigint; containers: string[]; modes: string[] } | undefined {
  const old = rows.filter((r) => recoveredFromCheckpoint(r) && r.checkpointScn !== undefined && r.checkpointScn < current);
  if (old.length === 0) return undefined;
  const scn = old.reduce((m, r) => (r.checkpointScn! < m ? r.checkpointScn! : m), current);
  return { scn, containers: [...new Set(old.map((r) => r.container!))], modes: [...new Set(old.map((r) => r.containerMode!))] };
}

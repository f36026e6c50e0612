// The DR drill: open the standby READ ONLY at the last shipped log, say what a DBA checks (open
// mode, the SCN and time its data is from), and afterwards return it to mounted recovery.
// Never read/write, never RESETLOGS: either ends it as a standby.
import type { ToolContext } from '../context.ts';
import { STANDBY_SQL } from '../db/sql.ts';
import { OracleError, PreconditionError } from '../errors.ts';
import { applyPass } from './apply.ts';
import type { DrSqlplus } from './drSqlplus.ts';
import { ensureMounted, oraLines, probe } from './instance.ts';

export const READ_WRITE_REFUSED = new PreconditionError(
  'apply_standby never opens the standby read/write (or with RESETLOGS): that ends it as a standby; it could never apply production\'s redo again, and a new cycle would have to copy every datafile',
  'for a DR test use --drill-open (read only), then --drill-close; a real failover (ALTER DATABASE ACTIVATE STANDBY DATABASE or OPEN RESETLOGS) is a decision for a person: docs/DEPLOYMENT.md §7',
);

export async function drillOpen(ctx: ToolContext, sql: DrSqlplus): Promise<void> {
  const before = await probe(sql);
  if (before.status === 'OPEN') {
    ctx.log.info(`drill: the standby is already open ${before.openMode} at SCN ${before.currentScn}`);
    return;
  }
  // mounted (a pass with nothing new to apply does not look at the instance), then recovered
  // to the last shipped log: the drill opens the newest data the standby can have
  await ensureMounted(sql, (m) => ctx.log.info(m));
  const { progress } = await applyPass(ctx, sql);
  if (!progress.consistent) {
    throw new PreconditionError('the standby is not consistent yet: it cannot be opened for a drill', 'let apply_standby recover past the consistent point of the last hot backup cycle (the monitor says "consistent"), then try again');
  }
  const out = await sql.script([STANDBY_SQL.openReadOnly]);
  const after = await probe(sql);
  if (after.status !== 'OPEN') throw new OracleError('the standby could not be opened read only', oraLines(out), 'look at the standby alert log on DR; the standby stays mounted and apply_standby goes on');
  const t = progress.threads.map((x) => `thread ${x.thread} through sequence ${x.appliedSequence}, changes up to ${x.appliedTime ?? 'unknown'}`).join('; ');
  ctx.log.info(`drill: the standby is open ${after.openMode} at SCN ${after.currentScn} (${t}; ${progress.lagSeconds ?? '?'} s behind now); no redo is applied while it is open: end the drill with apply_standby --drill-close`);
}

export async function drillClose(ctx: ToolContext, sql: DrSqlplus): Promise<void> {
  const before = await probe(sql);
  if (before.status === 'OPEN') {
    if (before.openMode !== 'READ ONLY' || before.role !== 'PHYSICAL STANDBY') {
      throw new PreconditionError(`the DR instance is open ${before.openMode} as a ${before.role}: it is no longer a standby and cannot return to recovery`, 'build the standby again with a new cycle (bin/orquestra_dr --new-cycle)');
    }
    const out = await sql.script([STANDBY_SQL.shutdownImmediate]);
    if ((await probe(sql)).status !== 'idle') throw new OracleError('the standby could not be shut down after the drill', oraLines(out));
    ctx.log.info('drill: the standby was shut down (SHUTDOWN IMMEDIATE)');
  }
  await ensureMounted(sql, (m) => ctx.log.info(m));
  await applyPass(ctx, sql);
  ctx.log.info('drill over: the standby is mounted and recovering again');
}

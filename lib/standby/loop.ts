// apply_standby's loop: a pass every standby.poll_seconds. A pass that fails for a passing
// reason (DR unreachable, a log not shipped whole yet, recovery stopped at a damaged log the
// shipper will replace) is logged (the same text at most once a minute) and retried; one that
// finds the DR instance is not a standby of this database ends the loop. After a pass that ended
// well, `afterPass` runs (housekeeping of the DR archive directory).
import type { ToolContext } from '../context.ts';
import { ConfigError, formatError, PreconditionError } from '../errors.ts';
import { waitForNextPass } from '../archivelog/wake.ts';
import { applyPass } from './apply.ts';
import type { DrSqlplus } from './drSqlplus.ts';

export async function applyForever(ctx: ToolContext, sql: DrSqlplus, signal: AbortSignal, afterPass?: () => Promise<void>): Promise<void> {
  ctx.log.info(`recovering the standby every ${ctx.config.standby.pollSeconds} s through ${sql.describe()} (Ctrl-C to stop)`);
  let last = '';
  let at = 0;
  while (!signal.aborted) {
    try {
      await applyPass(ctx, sql);
      last = '';
      await afterPass?.();
    } catch (err) {
      if (err instanceof PreconditionError || err instanceof ConfigError) throw err;
      const text = formatError(err);
      if (text !== last || Date.now() - at >= 60_000) ctx.log.error(text);
      last = text;
      at = Date.now();
    }
    await waitForNextPass(ctx.config.standby.pollSeconds * 1000, undefined, signal);
  }
  ctx.log.info(`stopped by ${String(signal.reason)}`);
}

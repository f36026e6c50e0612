// copy_archivelog's polling loop. A pass that fails for a passing reason (the instance is down
// or restarting, the DR host unreachable, a statement timed out) is reported and retried at the
// next poll, on a new database session when the old one was lost; so is one that finds no
// VALID archive destination (the archiver stuck on a full one recovers). A pass that finds the
// standby can no longer follow (RESETLOGS), or the configuration cannot work (an ASM-only
// archive destination, a wrong local_dest_id), ends the loop: repeating it would only hide
// the problem.
import type { ToolContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { ConfigError, formatError } from '../errors.ts';
import type { Remote } from '../remote.ts';
import { IncarnationChangedError } from './cutoff.ts';
import { UnusableDestinationError } from './dest.ts';
import { Shipper } from './ship.ts';
import { waitForNextPass } from './wake.ts';

/** Errors that no later pass can cure. */
export function isFatal(err: unknown): boolean {
  return err instanceof IncarnationChangedError || err instanceof UnusableDestinationError || err instanceof ConfigError;
}

/** Logs an error, but the same text at most once a minute (a DB down for an hour is one line a minute, not 3600). */
function errorReporter(log: (m: string) => void): (err: unknown) => void {
  let last = '';
  let at = 0;
  return (err) => {
    const text = formatError(err);
    if (text === last && Date.now() - at < 60_000) return;
    last = text;
    at = Date.now();
    log(text);
  };
}

/** Ships until `signal` aborts; throws on a fatal error. */
export async function shipForever(ctx: ToolContext, db: Database, remote: Remote, cutoff: bigint, signal: AbortSignal): Promise<void> {
  ctx.log.info(`polling every ${ctx.config.archivelog.pollSeconds} s, and on each new file in the local archive directory (Ctrl-C to stop)`);
  const report = errorReporter((m) => ctx.log.error(m));
  const shipper = new Shipper(ctx, db, remote, cutoff);
  while (!signal.aborted) {
    try {
      await shipper.pass();
    } catch (err) {
      if (isFatal(err)) throw err;
      report(err);
    }
    await waitForNextPass(ctx.config.archivelog.pollSeconds * 1000, shipper.archiveDir, signal);
  }
  ctx.log.info(`stopped by ${String(signal.reason)}`);
}

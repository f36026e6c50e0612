#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// Ships archived logs needed from the cutoff SCN to the DR host, forever or once (--once).
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { createContext, lockTool, logFailure, openDatabase } from '../lib/context.ts';
import type { Database } from '../lib/db/database.ts';
import { formatError } from '../lib/errors.ts';
import { ensureCutoff, gapError, Shipper } from '../lib/archivelog/ship.ts';
import { waitForNextPass } from '../lib/archivelog/wake.ts';
import { Remote } from '../lib/remote.ts';

const spec = {
  tool: 'copy_archivelog',
  usage:
    'copy_archivelog [--config FILE] [--once] [--new-cutoff]\n' +
    '  --once        one pass, then exit (cron, tests); exit code 7 when a gap exists\n' +
    '  --new-cutoff  record the current SCN as a new cutoff (starts a new backup cycle)',
  options: { once: { type: 'boolean' as const }, 'new-cutoff': { type: 'boolean' as const } },
};

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

const code = await runTool(spec, async (values, signal) => {
  const ctx = createContext(configFrom(values), 'copy_archivelog', 'copy_archivelog.log');
  const lock = lockTool(ctx);
  const remote = new Remote(ctx.config.destination, ctx.config.dirs.state);
  let db: Database | undefined;
  try {
    db = await openDatabase(ctx.config);
    const cutoff = await ensureCutoff(ctx, db, Boolean(values['new-cutoff']));
    if (values.once) {
      const r = await new Shipper(ctx, db, remote, cutoff).pass();
      if (r.gaps.length) throw gapError(r.gaps);
      return 0;
    }
    ctx.log.info(`polling every ${ctx.config.archivelog.pollSeconds} s, and on each new file in the local archive directory (Ctrl-C to stop)`);
    const report = errorReporter((m) => ctx.log.error(m));
    let shipper: Shipper | undefined = new Shipper(ctx, db, remote, cutoff);
    while (!signal.aborted) {
      try {
        if (!db) {
          db = await openDatabase(ctx.config); // production restarted: a new session
          ctx.log.info(`reconnected to ${db.conn.description}`);
          await ensureCutoff(ctx, db, false); // a restart may have been an OPEN RESETLOGS: refuse to follow it
        }
        shipper ??= new Shipper(ctx, db, remote, cutoff);
        await shipper.pass();
      } catch (err) {
        report(err);
        if (db && /session .* has ended|sqlplus ended unexpectedly|ORA-01034|ORA-01089|ORA-01092|ORA-03113|ORA-03114|ORA-03135|NJS-\d+|DPI-10(10|80)|DPY-40(11|24)/.test(formatError(err))) {
          await db.conn.close();
          db = undefined;
          shipper = undefined;
        }
      }
      await waitForNextPass(ctx.config.archivelog.pollSeconds * 1000, shipper?.archiveDir, signal);
    }
    ctx.log.info(`stopped by ${String(signal.reason)}`);
    return 0;
  } catch (err) {
    logFailure(ctx, err);
    throw err;
  } finally {
    await db?.conn.close();
    await remote.close();
    lock.release();
  }
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

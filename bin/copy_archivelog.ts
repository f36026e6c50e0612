#!/usr/bin/env -S npx tsx
// Ships archived logs needed from the cutoff SCN to the DR host, forever or once (--once).
import { setTimeout as sleep } from 'node:timers/promises';
import { runTool, configFrom, reported } from '../lib/cli.ts';
import { createContext, lockTool, openDatabase } from '../lib/context.ts';
import { formatError } from '../lib/errors.ts';
import { ensureCutoff, gapError, Shipper } from '../lib/archivelog/ship.ts';
import { Remote } from '../lib/remote.ts';

const spec = {
  tool: 'copy_archivelog',
  usage:
    'copy_archivelog.ts [--config FILE] [--once] [--new-cutoff]\n' +
    '  --once        one pass, then exit (cron, tests); exit code 7 when a gap exists\n' +
    '  --new-cutoff  record the current SCN as a new cutoff (starts a new backup cycle)',
  options: { once: { type: 'boolean' as const }, 'new-cutoff': { type: 'boolean' as const } },
};

process.exitCode = await runTool(spec, async (values, signal) => {
  const ctx = createContext(configFrom(values), 'copy_archivelog', 'copy_archivelog.log');
  const lock = lockTool(ctx);
  const remote = new Remote(ctx.config.destination);
  const db = await openDatabase(ctx.config);
  try {
    const cutoff = await ensureCutoff(ctx, db, Boolean(values['new-cutoff']));
    const shipper = new Shipper(ctx, db, remote, cutoff);
    if (values.once) {
      const r = await shipper.pass();
      if (r.gaps.length) throw gapError(r.gaps);
      return 0;
    }
    ctx.log.info(`polling every ${ctx.config.archivelog.pollSeconds} s (Ctrl-C to stop)`);
    while (!signal.aborted) {
      try {
        await shipper.pass();
      } catch (err) {
        ctx.log.error(formatError(err));
      }
      await sleep(ctx.config.archivelog.pollSeconds * 1000, undefined, { signal }).catch(() => undefined);
    }
    ctx.log.info(`stopped by ${String(signal.reason)}`);
    return 0;
  } catch (err) {
    ctx.log.error(formatError(err));
    if (typeof err === 'object' && err !== null) reported.add(err);
    throw err;
  } finally {
    await db.conn.close();
    await remote.close();
    lock.release();
  }
});

#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// Ships archived logs needed from the cutoff SCN to the DR host, forever or once (--once).
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { createContext, lockTool, logFailure, openDatabase } from '../lib/context.ts';
import type { Database } from '../lib/db/database.ts';
import { ensureCutoff } from '../lib/archivelog/cutoff.ts';
import { shipForever } from '../lib/archivelog/loop.ts';
import { gapError, Shipper } from '../lib/archivelog/ship.ts';
import { Remote } from '../lib/remote.ts';

const spec = {
  tool: 'copy_archivelog',
  usage:
    'copy_archivelog [--config FILE] [--once] [--new-cutoff]\n' +
    '  --once        one pass, then exit (cron, tests); exit code 7 when a gap exists\n' +
    '  --new-cutoff  record the current SCN as a new cutoff (starts a new backup cycle)',
  options: { once: { type: 'boolean' as const }, 'new-cutoff': { type: 'boolean' as const } },
};

const code = await runTool(spec, async (values, signal) => {
  const ctx = createContext(configFrom(values), 'copy_archivelog', 'log');
  const lock = lockTool(ctx);
  const remote = new Remote(ctx.config.destination, ctx.config.dirs.state, `${ctx.config.oracle.sid}.${ctx.tool}`);
  let db: Database | undefined;
  try {
    db = await openDatabase(ctx);
    const cutoff = await ensureCutoff(ctx, db, Boolean(values['new-cutoff']));
    if (values.once) {
      const r = await new Shipper(ctx, db, remote, cutoff).pass();
      if (r.gaps.length) throw gapError(r.gaps);
      return 0;
    }
    await shipForever(ctx, db, remote, cutoff, signal);
    return 0;
  } catch (err) {
    logFailure(ctx, err);
    throw err;
  } finally {
    await db?.close();
    await remote.close();
    lock.release();
  }
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

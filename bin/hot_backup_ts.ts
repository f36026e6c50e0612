#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// Hot backup of every tablespace to the DR host: BEGIN BACKUP → rsync → END BACKUP → .done.
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { clearResult, createContext, lockTool, logFailure, openDatabase, recordResult } from '../lib/context.ts';
import { exitCodeOf, formatError } from '../lib/errors.ts';
import { hotBackup, linkSettled, openHotBackupLink } from '../lib/backup/hotBackup.ts';
import { Remote } from '../lib/remote.ts';

const spec = {
  tool: 'hot_backup_ts',
  usage: 'hot_backup_ts [--config FILE]\n  Copies every tablespace not yet done in this backup cycle; safe to re-run.',
  options: {},
};

const code = await runTool(spec, async (values, signal) => {
  const ctx = createContext(configFrom(values), 'hot_backup_ts', 'out');
  const lock = lockTool(ctx);
  clearResult(ctx); // a run killed with -9 must not leave the previous run's result standing
  const remote = new Remote(ctx.config.destination, ctx.config.dirs.state, `${ctx.config.oracle.sid}.${ctx.tool}`);
  // ssh connections and both rsyncs' versions while sqlplus starts (awaited after the database checks)
  const link = openHotBackupLink(ctx, remote);
  let db;
  try {
    db = await openDatabase(ctx);
    const t0 = Date.now();
    const s = await hotBackup(ctx, db, remote, signal, link);
    ctx.log.info(
      `hot backup complete in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${s.done.length} tablespace(s) copied now, ${s.skipped} skipped` +
        (s.consistentScn !== undefined ? `; standby consistent from SCN ${s.consistentScn}` : ''),
    );
    recordResult(ctx, 0);
    return 0;
  } catch (err) {
    logFailure(ctx, err);
    recordResult(ctx, exitCodeOf(err), formatError(err).split('\n')[0]);
    throw err;
  } finally {
    // sqlplus and the ssh connections end together; no master connection may start after close()
    await Promise.allSettled([db?.close(), linkSettled(link).then(() => remote.close())]);
    lock.release();
  }
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

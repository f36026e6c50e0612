#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// Keeps the standby recovering: mounts it as a standby if needed, RECOVER AUTOMATIC STANDBY
// DATABASE up to the last shipped log, reports applied sequence, lag and consistency; then deletes
// applied shipped logs older than the retention on DR (standby.housekeeping). Never opens it.
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { createContext, lockTool, logFailure } from '../lib/context.ts';
import { Remote } from '../lib/remote.ts';
import { UsageError } from '../lib/errors.ts';
import { applyPass } from '../lib/standby/apply.ts';
import { drillClose, drillOpen, READ_WRITE_REFUSED } from '../lib/standby/drill.ts';
import { DrSqlplus } from '../lib/standby/drSqlplus.ts';
import { Housekeeper, housekeep } from '../lib/standby/housekeeping.ts';
import { applyForever } from '../lib/standby/loop.ts';

const spec = {
  tool: 'apply_standby',
  usage:
    'apply_standby [--config FILE] [--once | --drill-open | --drill-close]\n' +
    '  --once         one recovery pass (and housekeeping of the DR archive directory), then exit (cron, tests);\n' +
    '                 exit code 5 when recovery stopped with an error\n' +
    '  --drill-open   DR drill: recover to the last shipped log, then open the standby READ ONLY (stop the apply loop first)\n' +
    '  --drill-close  end the drill: shut the standby down, mount it as a standby again and recover',
  options: { once: { type: 'boolean' as const }, 'drill-open': { type: 'boolean' as const }, 'drill-close': { type: 'boolean' as const }, 'read-write': { type: 'boolean' as const } },
};

const code = await runTool(spec, async (values, signal) => {
  const modes = (['once', 'drill-open', 'drill-close'] as const).filter((m) => values[m]);
  if (modes.length > 1) throw new UsageError(`choose one of --${modes.join(', --')}`);
  if (values['read-write']) throw READ_WRITE_REFUSED;
  const ctx = createContext(configFrom(values), 'apply_standby', 'log');
  const lock = lockTool(ctx);
  const remote = new Remote(ctx.config.destination, ctx.config.dirs.state, `${ctx.config.oracle.sid}.${ctx.tool}`);
  try {
    const sql = new DrSqlplus(ctx.config, remote);
    if (values['drill-open']) {
      await drillOpen(ctx, sql);
      return 0;
    }
    if (values['drill-close']) {
      await drillClose(ctx, sql);
      return 0;
    }
    if (values.once) {
      await applyPass(ctx, sql);
      await housekeep(ctx, sql, remote);
      return 0;
    }
    const housekeeper = new Housekeeper(ctx, sql, remote);
    await applyForever(ctx, sql, signal, () => housekeeper.afterPass());
    return 0;
  } catch (err) {
    logFailure(ctx, err);
    throw err;
  } finally {
    await remote.close();
    lock.release();
  }
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code);

#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// Keeps the standby recovering: mounts it as a standby if needed, RECOVER AUTOMATIC STANDBY
// DATABASE up to the last shipped log, reports applied sequence, lag and consistency. Never opens it.
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { createContext, lockTool, logFailure } from '../lib/context.ts';
import { Remote } from '../lib/remote.ts';
import { applyPass } from '../lib/standby/apply.ts';
import { DrSqlplus } from '../lib/standby/drSqlplus.ts';
import { applyForever } from '../lib/standby/loop.ts';

const spec = {
  tool: 'apply_standby',
  usage:
    'apply_standby [--config FILE] [--once]\n' +
    '  --once  one recovery pass, then exit (cron, tests); exit code 5 when recovery stopped with an error',
  options: { once: { type: 'boolean' as const } },
};

const code = await runTool(spec, async (values, signal) => {
  const ctx = createContext(configFrom(values), 'apply_standby', 'log');
  const lock = lockTool(ctx);
  const remote = new Remote(ctx.config.destination, ctx.config.dirs.state, `${ctx.config.oracle.sid}.${ctx.tool}`);
  try {
    const sql = new DrSqlplus(ctx.config, remote);
    if (values.once) {
      await applyPass(ctx, sql);
      return 0;
    }
    await applyForever(ctx, sql, signal);
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

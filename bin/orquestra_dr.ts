#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// Creates or reuses the tmux session DR_<DB>: archivelog, hot_backup and monitor windows,
// after the preflight check (bin/check): any FAIL stops it before anything is started.
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { preflight } from '../lib/check/preflight.ts';
import { createContext } from '../lib/context.ts';
import { orchestrate } from '../lib/orchestrate.ts';

const spec = {
  tool: 'orquestra_dr',
  usage:
    'orquestra_dr [--config FILE] [--new-cycle] [--cutoff-wait SECONDS] [--accept-fail ID[,ID...]]\n' +
    '  --new-cycle     start a new backup cycle: record a new cutoff SCN (every tablespace is copied again)\n' +
    "  --accept-fail   go on despite these preflight FAILs (ids as bin/check prints them), e.g. a NOLOGGING change you will refresh",
  options: { 'new-cycle': { type: 'boolean' as const }, 'cutoff-wait': { type: 'string' as const }, 'accept-fail': { type: 'string' as const } },
};

const code = await runTool(spec, async (values) => {
  const ctx = createContext(configFrom(values), 'orquestra_dr', 'out');
  const acceptFail = String(values['accept-fail'] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  await preflight(ctx.config, ctx.log, { newCycle: Boolean(values['new-cycle']), acceptFail });
  const actions = await orchestrate(ctx.config, ctx.log, {
    newCycle: Boolean(values['new-cycle']),
    cutoffWaitMs: Number(values['cutoff-wait'] ?? 60) * 1000,
  });
  const attach = ctx.config.tmux.socketName ? `tmux -L ${ctx.config.tmux.socketName} attach -t ${ctx.config.tmux.session}` : `tmux attach -t ${ctx.config.tmux.session}`;
  ctx.log.info(`session ${ctx.config.tmux.session}: ${Object.entries(actions).map(([w, a]) => `${w} ${a}`).join(', ')}. Watch it with: ${attach}`);
  return 0;
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

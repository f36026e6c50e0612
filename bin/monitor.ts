#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// The monitor window: progress of the hot backup and of archived-log shipping, at a glance.
import { setTimeout as sleep } from 'node:timers/promises';
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { monitorScreen } from '../lib/monitor.ts';

const spec = {
  tool: 'monitor',
  usage: 'monitor [--config FILE] [--once] [--interval SECONDS]',
  options: { once: { type: 'boolean' as const }, interval: { type: 'string' as const } },
};

const code = await runTool(spec, async (values, signal) => {
  const config = configFrom(values);
  const interval = Number(values.interval ?? 2);
  const draw = () => {
    const lines = monitorScreen(config, new Date(), process.stdout.columns || 80, process.stdout.rows || 24);
    const clear = process.stdout.isTTY ? '\x1b[H\x1b[2J' : '';
    process.stdout.write(clear + lines.join('\n') + '\n');
  };
  if (values.once) {
    draw();
    return 0;
  }
  while (!signal.aborted) {
    draw();
    await sleep(interval * 1000, undefined, { signal }).catch(() => undefined);
  }
  return 0;
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

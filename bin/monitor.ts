#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// The monitor window: progress of the hot backup and of archived-log shipping, at a glance.
import { setTimeout as sleep } from 'node:timers/promises';
import { runTool, allConfigFiles, configFile, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { monitorScreen } from '../lib/monitor.ts';
import { monitorAllScreen } from '../lib/monitorAll.ts';

const spec = {
  tool: 'monitor',
  usage:
    'monitor [--config FILE] [--once] [--interval SECONDS]\n' +
    '       monitor --all [--config FILE|DIR] [--once] [--interval SECONDS]\n' +
    '  --all  every database configured in the directory of --config (or --config DIR, DR_CONFIG, etc/), one block each',
  options: { once: { type: 'boolean' as const }, interval: { type: 'string' as const }, all: { type: 'boolean' as const } },
};

const code = await runTool(spec, async (values, signal) => {
  const interval = Number(values.interval ?? 2);
  const config = values.all ? undefined : configFrom(values);
  const screen = (now: Date, w: number, h: number) => (config ? monitorScreen(config, now, w, h) : monitorAllScreen(() => allConfigFiles(values), configFile, now, w, h));
  const draw = () => {
    const lines = screen(new Date(), process.stdout.columns || 80, process.stdout.rows || 24);
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

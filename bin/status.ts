#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// The status of the DR copy for machines: JSON (default), Prometheus text, a Nagios/Zabbix
// check line, or an alert evaluation. Reads state files only: no load on production.
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { UsageError } from '../lib/errors.ts';
import { statusCommand, type StatusMode } from '../lib/status/command.ts';

const spec = {
  tool: 'status',
  usage:
    'status [--config FILE] [--json | --prometheus | --check | --alert [--every SECONDS]] [--prometheus-file FILE]\n' +
    '  --json                  the whole status as one JSON document (default)\n' +
    '  --prometheus            Prometheus text format (node_exporter textfile collector)\n' +
    '  --prometheus-file FILE  also write the Prometheus text to FILE, atomically (any mode)\n' +
    '  --check                 one line + exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios, Zabbix)\n' +
    '  --alert                 evaluate alerts once (cron, systemd timer); with --every SECONDS, in a loop',
  options: {
    json: { type: 'boolean' as const },
    prometheus: { type: 'boolean' as const },
    'prometheus-file': { type: 'string' as const },
    check: { type: 'boolean' as const },
    alert: { type: 'boolean' as const },
    every: { type: 'string' as const },
  },
};

const code = await runTool(spec, async (values, signal) => {
  const modes = (['json', 'prometheus', 'check', 'alert'] as const).filter((m) => values[m]);
  if (modes.length > 1) throw new UsageError(`status: choose one of --${modes.join(', --')}`);
  const mode: StatusMode = modes[0] ?? (values['prometheus-file'] ? 'prometheus' : 'json');
  const every = values.every === undefined ? undefined : Number(values.every);
  if (every !== undefined && (mode !== 'alert' || !(every >= 1))) throw new UsageError('status: --every takes a number of seconds (at least 1) and goes with --alert');
  const write = (t: string) => void process.stdout.write(t);
  return statusCommand(() => configFrom(values), { mode, prometheusFile: values['prometheus-file'] as string | undefined, everySeconds: every }, write, signal);
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

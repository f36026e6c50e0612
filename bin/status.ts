#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// The status of the DR copy for machines: JSON (default), Prometheus text, a Nagios/Zabbix
// check line, or an alert evaluation; with --all, of every database configured in one
// directory. Reads state files only: no load on production.
import { runTool, allConfigFiles, configFile, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { formatError, UsageError } from '../lib/errors.ts';
import { statusAllCommand, statusCommand, type StatusMode } from '../lib/status/command.ts';

const spec = {
  tool: 'status',
  usage:
    'status [--config FILE] [--json | --prometheus | --check | --alert [--every SECONDS]] [--prometheus-file FILE]\n' +
    '       status --all [--config FILE|DIR] [--json | --prometheus | --check] [--prometheus-file FILE]\n' +
    '  --json                  the whole status as one JSON document (default)\n' +
    '  --prometheus            Prometheus text format (node_exporter textfile collector)\n' +
    '  --prometheus-file FILE  also write the Prometheus text to FILE, atomically (any mode)\n' +
    '  --check                 one line + exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios, Zabbix)\n' +
    '  --alert                 evaluate alerts once (cron, systemd timer); with --every SECONDS, in a loop\n' +
    '  --all                   every database: each *.yaml of the directory of --config (or --config DIR,\n' +
    '                          DR_CONFIG, etc/), one line each (default), or one document / series / check line',
  options: {
    json: { type: 'boolean' as const },
    prometheus: { type: 'boolean' as const },
    'prometheus-file': { type: 'string' as const },
    check: { type: 'boolean' as const },
    alert: { type: 'boolean' as const },
    every: { type: 'string' as const },
    all: { type: 'boolean' as const },
  },
  // A monitoring system reads --check's stdout and exit code: a mistake on its command line is
  // UNKNOWN (3), not exit 2, which Nagios would show as CRITICAL.
  onError: (err: unknown, argv: string[]) => {
    if (!(err instanceof UsageError) || !argv.includes('--check')) return undefined;
    process.stdout.write(`DR UNKNOWN - status: ${formatError(err).split('\n')[0].replace(/\|/g, '/')}\n`);
    return 3;
  },
};

const code = await runTool(spec, async (values, signal) => {
  const modes = (['json', 'prometheus', 'check', 'alert'] as const).filter((m) => values[m]);
  if (modes.length > 1) throw new UsageError(`choose one of --${modes.join(', --')}`);
  const prometheusFile = values['prometheus-file'] as string | undefined;
  const write = (t: string) => void process.stdout.write(t);
  if (values.all) {
    if (modes[0] === 'alert') throw new UsageError('--all goes with --json, --prometheus or --check; alerts are evaluated per database (status --config FILE --alert)');
    return statusAllCommand(() => allConfigFiles(values), configFile, { mode: modes[0] ?? (prometheusFile && !values.json ? 'prometheus' : 'summary'), prometheusFile }, write);
  }
  const mode: StatusMode = modes[0] ?? (prometheusFile ? 'prometheus' : 'json');
  const every = values.every === undefined ? undefined : Number(values.every);
  if (every !== undefined && (mode !== 'alert' || !(every >= 1))) throw new UsageError('--every takes a number of seconds (at least 1) and goes with --alert');
  return statusCommand(() => configFrom(values), { mode, prometheusFile, everySeconds: every }, write, signal);
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

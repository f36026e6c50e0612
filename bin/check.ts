#!/bin/sh
//bin/true; f=$(readlink -f -- "$0") && exec "${f%.ts}" "$@"; exit 127 # sh: hand over to the launcher bin/<tool>
// The preflight: is production safe to feed a standby from, and is the DR host ready? Each
// finding OK / WARN / FAIL with why and what to do; exit 8 on any FAIL, 0 otherwise (WARN alone
// is 0). Read-only on production; on DR it creates the configured directories (mkdir -p).
import { runTool, configFrom, describeActiveHandles } from '../lib/cli.ts';
import { checkExitCode, formatTable, reportJson } from '../lib/check/finding.ts';
import { runCheck } from '../lib/check/run.ts';

const spec = {
  tool: 'check',
  usage:
    'check [--config FILE] [--json]\n' +
    '  --json   one JSON document (database, checkedAt, status, counts, findings) for monitoring\n' +
    'exit code: 0 no FAIL (WARN findings allowed), 8 at least one FAIL, 2 usage, 3 configuration',
  options: { json: { type: 'boolean' as const } },
};

const code = await runTool(spec, async (values) => {
  const config = configFrom(values);
  const findings = await runCheck(config);
  process.stdout.write(values.json ? JSON.stringify(reportJson(findings, config.oracle.sid), null, 2) + '\n' : formatTable(findings, config.oracle.sid));
  return checkExitCode(findings);
});
if (process.env.DR_DEBUG_HANDLES === '1') process.stderr.write(`active handles at exit: ${describeActiveHandles()}\n`);
process.exit(code); // every resource was released above; nothing may keep a finished tool alive

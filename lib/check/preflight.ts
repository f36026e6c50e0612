// The check orquestra_dr runs before it starts anything: the findings go to its log and
// console; any FAIL stops it (nothing started), WARNs are shown and it goes on.
import type { DrConfig } from '../config/index.ts';
import { PreconditionError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { formatTable, type Finding } from './finding.ts';
import { runCheck, type CheckOptions } from './run.ts';

export async function preflight(config: DrConfig, log: Logger, opts: CheckOptions = {}, check: (c: DrConfig, o: CheckOptions) => Promise<Finding[]> = runCheck): Promise<Finding[]> {
  const findings = await check(config, opts);
  // a FAIL is an error (stderr, log/errors.<sid>.log); the rest, WARNs included, is the table on stdout
  const [summary, ...lines] = formatTable(findings, config.oracle.sid).trimEnd().split('\n');
  log.info(`preflight ${summary}`);
  let i = 0;
  for (const f of findings) {
    const text = [lines[i++]!, ...(f.todo ? [lines[i++]!] : [])].join('\n');
    if (f.status === 'FAIL') log.error(text);
    else log.info(text);
  }
  const failed = findings.filter((f) => f.status === 'FAIL');
  if (failed.length)
    throw new PreconditionError(
      `preflight check failed (${failed.map((f) => f.id).join(', ')}): nothing was started`,
      'fix each FAIL above (its HINT line; docs/TROUBLESHOOTING.md, "check findings"), see them again with bin/check, then re-run orquestra_dr',
    );
  return findings;
}

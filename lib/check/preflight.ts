// The check orquestra_dr runs before it starts anything: the findings go to its log and
// console; any FAIL stops it (nothing started), WARNs are shown and it goes on. A FAIL the DBA
// has judged wrong or acceptable for now is named with --accept-fail <id>: logged as a WARN
// with that remark, and it goes on; an id that is no FAIL of this check is a usage error.
import type { DrConfig } from '../config/index.ts';
import { PreconditionError, UsageError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { formatTable, type Finding } from './finding.ts';
import { runCheck, type CheckOptions } from './run.ts';

export async function preflight(config: DrConfig, log: Logger, opts: CheckOptions = {}, check: (c: DrConfig, o: CheckOptions) => Promise<Finding[]> = runCheck): Promise<Finding[]> {
  const findings = await check(config, opts);
  const accepted = new Set(opts.acceptFail ?? []);
  const fails = findings.filter((f) => f.status === 'FAIL').map((f) => f.id);
  const unknown = [...accepted].filter((id) => !fails.includes(id));
  if (unknown.length) {
    throw new UsageError(
      `--accept-fail names no FAIL of this check: ${unknown.join(', ')} (the FAILs are: ${fails.join(', ') || 'none'})`,
      'give the id of a FAIL as bin/check prints it (its second column); a FAIL not named still stops orquestra_dr',
    );
  }
  // a FAIL is an error (stderr, log/errors.<sid>.log); the rest, WARNs included, is the table on stdout
  const [summary, ...lines] = formatTable(findings, config.oracle.sid).trimEnd().split('\n');
  log.info(`preflight ${summary}`);
  let i = 0;
  for (const f of findings) {
    const text = [lines[i++]!, ...(f.todo ? [lines[i++]!] : [])].join('\n');
    if (f.status === 'FAIL' && accepted.has(f.id)) log.warn(text);
    else if (f.status === 'FAIL') log.error(text);
    else log.info(text);
  }
  for (const id of accepted) log.warn(`FAIL ${id} accepted by --accept-fail: orquestra_dr goes on`);
  const failed = findings.filter((f) => f.status === 'FAIL' && !accepted.has(f.id));
  if (failed.length)
    throw new PreconditionError(
      `preflight check failed (${failed.map((f) => f.id).join(', ')}): nothing was started`,
      'fix each FAIL above (its HINT line; docs/TROUBLESHOOTING.md, "check findings"), see them again with bin/check, then re-run orquestra_dr',
    );
  return findings;
}

// Housekeeping of the DR archive directory (archivelog.dest_dir), run by apply_standby after a
// pass that ended well: ask the standby its LOG_ARCHIVE_FORMAT, list the directory and its
// filesystem's space (one command on DR), plan (housekeepingPlan.ts), delete the applied logs
// older than standby.housekeeping.retention_hours (one `xargs -0 rm` on DR, the names on its
// stdin, never on a command line), and record the space in the apply progress file for status
// and the monitor. It never makes a pass fail: a problem is logged and the loop goes on.
import type { ToolContext } from '../context.ts';
import { STANDBY_SQL } from '../db/sql.ts';
import { formatError } from '../errors.ts';
import { run, type RunResult } from '../exec.ts';
import { readLockHolder } from '../lock.ts';
import { shellQuote, type Remote } from '../remote.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';
import type { ApplyProgress } from '../status/standby.ts';
import type { DrSqlplus } from './drSqlplus.ts';
import { formatHousekeeping, parseDfUsage, parseDrListing, planHousekeeping, type DfUsage, type HousekeepingPlan } from './housekeepingPlan.ts';

const TIMEOUT_MS = 120_000;

/**
 * Runs `commands` (argv each) one after the other, stopping at the first that fails: on the DR
 * host over the destination's ssh (one connection, the words quoted for its login shell), or here
 * when apply_standby runs on DR (standby.run_on: local) or the destination is a local path.
 * `input` goes to the first command's stdin.
 */
async function onDr(ctx: ToolContext, remote: Remote, commands: string[][], input?: string): Promise<RunResult> {
  if (ctx.config.standby.runOn === 'dr' && !remote.isLocal) {
    const line = commands.map((c) => c.map(shellQuote).join(' ')).join(' && ');
    return run(['ssh', ...remote.sshOptions(), remote.target, '--', line], { input, timeoutMs: TIMEOUT_MS });
  }
  let stdout = '';
  let last: RunResult | undefined;
  for (const [i, argv] of commands.entries()) {
    last = await run(argv, { input: i === 0 ? input : undefined, timeoutMs: TIMEOUT_MS });
    stdout += last.stdout;
    if (last.exitCode !== 0) break;
  }
  return { ...last!, stdout };
}

const df = (dir: string) => ['df', '-P', '-B1', '--', dir];
/** Regular files directly in `dir` (-H: `dir` may be a symbolic link): "<mtime> <bytes> <name>\0" (GNU findutils, OL 7-9). */
const find = (dir: string) => ['find', '-H', dir, '-maxdepth', '1', '-type', 'f', '-printf', '%T@ %s %f\\0'];

const lastLines = (t: string) => t.trim().split('\n').slice(-2).join(' | ');

function readFormat(text: string): string | undefined {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.startsWith('FMT|'));
  const v = line?.slice(4).trim();
  return v ? v : undefined;
}

function record(ctx: ToolContext, dir: string, space: DfUsage | undefined, plan: HousekeepingPlan, now: Date): void {
  const file = ctx.state.progress('apply_standby');
  const progress = readJsonIfExists<ApplyProgress>(file);
  if (!progress || !space) return;
  const housekeeping = { deleted: plan.delete.length, kept: plan.kept, retentionHours: ctx.config.standby.housekeeping.retentionHours, ...(plan.skipped && { skipped: plan.skipped }) };
  writeJsonAtomic(file, { ...progress, drArchive: { dir, observedAt: now.toISOString(), ...space, housekeeping } });
}

/** One housekeeping run (after a pass that ended well). Logs what it did; never throws. */
export async function housekeep(ctx: ToolContext, sql: DrSqlplus, remote: Remote, now: () => Date = () => new Date()): Promise<void> {
  const { housekeeping: hk, runOn } = ctx.config.standby;
  if (!hk.enabled) return;
  const dir = ctx.config.archivelog.destDir;
  try {
    if (runOn === 'dr') {
      const holder = readLockHolder(ctx.state.lock('hot_backup_ts'));
      if (holder?.alive) {
        ctx.log.info(`housekeeping: no log deleted: hot_backup_ts is copying datafiles to DR (pid ${holder.pid})`);
        return;
      }
    }
    const cycle = runOn === 'dr' ? readJsonIfExists<{ recordedAt?: string }>(ctx.state.consistentPoint())?.recordedAt : undefined;
    if (runOn === 'dr' && cycle === undefined) {
      ctx.log.info('housekeeping: no log deleted: no hot backup cycle has finished yet (no consistent point)');
      return;
    }
    const format = readFormat(await sql.script([STANDBY_SQL.archiveFormat]));
    const listed = await onDr(ctx, remote, [df(dir), ['echo', '==files=='], find(dir)]);
    if (listed.exitCode !== 0) {
      ctx.log.error(`housekeeping: cannot list the DR archive directory ${dir} (exit ${listed.exitCode}): ${lastLines(listed.stderr)}\nHINT: check that archivelog.dest_dir exists on DR and that ${remote.isLocal || runOn === 'local' ? 'this user' : remote.target} may read it`);
      return;
    }
    const { df: before, files } = parseDrListing(listed.stdout);
    const plan = planHousekeeping({ files, format, progress: readJsonIfExists<ApplyProgress>(ctx.state.progress('apply_standby')), cycle, retentionHours: hk.retentionHours, now: now() });
    let space = before;
    if (plan.delete.length) {
      const names = plan.delete.map((l) => `${dir.replace(/\/+$/, '')}/${l.name}\0`).join('');
      const r = await onDr(ctx, remote, [['xargs', '-0', '-r', 'rm', '-f', '--'], df(dir)], names);
      if (r.exitCode !== 0) {
        ctx.log.error(`housekeeping: deleting ${plan.delete.length} applied log(s) in ${dir} on DR failed (exit ${r.exitCode}): ${lastLines(r.stderr)}\nHINT: the DR user must be allowed to delete files in archivelog.dest_dir; the next run tries again`);
        return;
      }
      space = parseDfUsage(r.stdout) ?? before;
    }
    record(ctx, dir, space, plan, now());
    ctx.log.info(formatHousekeeping(plan, hk.retentionHours, dir, space));
  } catch (err) {
    ctx.log.error(`housekeeping: ${formatError(err)}`);
  }
}

/** The loop's housekeeping: at most once every standby.housekeeping.interval_seconds. */
export class Housekeeper {
  private last = -Infinity;

  constructor(
    private readonly ctx: ToolContext,
    private readonly sql: DrSqlplus,
    private readonly remote: Remote,
  ) {}

  async afterPass(): Promise<void> {
    const hk = this.ctx.config.standby.housekeeping;
    if (!hk.enabled || Date.now() - this.last < hk.intervalSeconds * 1000) return;
    this.last = Date.now();
    await housekeep(this.ctx, this.sql, this.remote);
  }
}

// One apply pass on the standby: mount it if needed, give datafiles their DR names (the path
// map), RECOVER AUTOMATIC STANDBY DATABASE up to the last shipped log, create a datafile added
// on production (ORA-01274) and go on, then report where the standby stands
// (state/apply_standby.<sid>.progress.json, read by status and the monitor). A log recovery
// cannot open although the shipper's state says it shipped it is a gap on DR: copy_archivelog
// is asked to ship it again (lib/archivelog/reship.ts) and the pass ends with exit 7.
import type { ToolContext } from '../context.ts';
import { STANDBY_SQL } from '../db/sql.ts';
import { updateReshipRequests } from '../archivelog/reship.ts';
import { GapError, OracleError, PreconditionError } from '../errors.ts';
import { readLockHolder } from '../lock.ts';
import { mapPath } from '../pathmap.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';
import type { ApplyProgress } from '../status/standby.ts';
import type { DrSqlplus } from './drSqlplus.ts';
import { containerOf, inContainers, readStandbyFiles, type StandbyFile } from './files.ts';
import { ensureMounted, oraLines, probe, PROBE, readInstance } from './instance.ts';
import { parseOracleTime, parseRecoverOutput, type RecoverOutcome } from './recoverOutput.ts';

/** How many datafiles added on production one pass creates before it lets the next pass go on. */
const MAX_CREATES = 20;

export interface PassResult {
  progress: ApplyProgress;
  /** The standby passed the consistent point in this pass. */
  becameConsistent: boolean;
}

function productionDbid(ctx: ToolContext): string | undefined {
  for (const ts of ctx.state.tsDoneNames()) {
    const m = readJsonIfExists<{ dbid?: string }>(ctx.state.tsDone(ts));
    if (m?.dbid) return m.dbid;
  }
  return undefined;
}

/** V$DATAFILE names that are production names: rename them to their DR path (MANUAL standby file management), each from its container. */
async function renameFiles(ctx: ToolContext, sql: DrSqlplus): Promise<void> {
  const { files, pdbs } = readStandbyFiles(await sql.script([STANDBY_SQL.datafiles, STANDBY_SQL.pdbs]));
  const { pathMap, unmappedPaths } = ctx.config;
  const isDrName = (n: string) => pathMap.some((r) => n === r.to || n.startsWith(r.to.endsWith('/') ? r.to : `${r.to}/`));
  const renames: { file: StandbyFile; statement: string; from: string; to: string }[] = [];
  for (const f of files) {
    if (/\/UNNAMED\d+$/.test(f.name) || isDrName(f.name)) continue;
    const m = mapPath(f.name, pathMap, unmappedPaths);
    if (m && m.dest !== f.name) renames.push({ file: f, statement: STANDBY_SQL.renameFile(f.name, m.dest), from: f.name, to: m.dest });
  }
  if (!renames.length) return;
  const r = await sql.script(inContainers(renames, pdbs));
  const errors = oraLines(r);
  if (errors.length) {
    throw new OracleError(`renaming ${renames.length} standby datafile(s) to their DR paths failed`, errors, 'the DR copies must exist at the mapped paths (path_map) and STANDBY_FILE_MANAGEMENT must be MANUAL on the standby while files are renamed');
  }
  ctx.log.info(`renamed ${renames.length} standby datafile(s) to their DR paths (path_map), e.g. ${renames[0]!.from} -> ${renames[0]!.to}`);
}

/** ORA-01274 (a datafile created on production after the standby controlfile): CREATE DATAFILE … AS its DR path, from the file's container. */
async function createAddedDatafile(ctx: ToolContext, sql: DrSqlplus, outcome: RecoverOutcome): Promise<boolean> {
  const line = outcome.errors.find((l) => l.startsWith('ORA-01274'));
  const created = line && /originally created as '(.+)'/.exec(line)?.[1];
  if (!created) return false;
  const mapped = mapPath(created, ctx.config.pathMap, ctx.config.unmappedPaths);
  if (!mapped) {
    throw new PreconditionError(`a datafile added on production (${created}) has no DR path: no path_map rule covers it`, 'add a path_map rule for its directory, then re-run apply_standby');
  }
  const { files, pdbs } = readStandbyFiles(await sql.script([STANDBY_SQL.unnamedDatafiles, STANDBY_SQL.pdbs]));
  const unnamed = files[0];
  if (!unnamed) throw new OracleError(`recovery stopped at a datafile added on production (${created}) but the standby lists no UNNAMED file`, outcome.errors);
  const container = containerOf(unnamed, pdbs);
  const where = container ? ` (container ${container})` : '';
  const r = await sql.script(inContainers([{ file: unnamed, statement: STANDBY_SQL.createDatafile(unnamed.name, mapped.dest) }], pdbs));
  const errors = oraLines(r);
  if (errors.length) throw new OracleError(`creating the standby copy of added datafile ${unnamed.file} (${created}${where}) as ${mapped.dest} failed`, errors, 'check the DR directory exists and has room; then re-run apply_standby');
  ctx.log.info(`datafile ${unnamed.file} was added on production as ${created}${where}: created on the standby as ${mapped.dest}; recovery goes on`);
  return true;
}

const fmtTime = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/**
 * Run on production (run_on: dr), the state directory says what the cycle is doing: no
 * recovery while hot_backup_ts rewrites the DR datafiles, none before a cycle has finished,
 * and after a new cycle the instance is mounted again, with the standby controlfile it shipped.
 * Returns why this pass must not recover, or undefined.
 */
function cycleGate(ctx: ToolContext): { wait?: string; cycle?: string } {
  if (ctx.config.standby.runOn !== 'dr') return {};
  const holder = readLockHolder(ctx.state.lock('hot_backup_ts'));
  if (holder?.alive) return { wait: `hot_backup_ts is copying datafiles to DR (pid ${holder.pid}): no recovery until it has finished` };
  const cp = readJsonIfExists<{ recordedAt?: string }>(ctx.state.consistentPoint());
  if (!cp) return { wait: 'no hot backup cycle has finished yet (no consistent point): nothing to recover' };
  return { cycle: cp.recordedAt };
}

export async function applyPass(ctx: ToolContext, sql: DrSqlplus, now: () => Date = () => new Date()): Promise<PassResult> {
  const file = ctx.state.progress('apply_standby');
  const previous = readJsonIfExists<ApplyProgress>(file);
  const gate = cycleGate(ctx);
  if (gate.wait) {
    ctx.log.info(gate.wait);
    const progress: ApplyProgress = { ...(previous ?? { threads: [], lagSeconds: null, consistent: false, lastError: null }), updatedAt: now().toISOString() };
    writeJsonAtomic(file, progress);
    return { progress, becameConsistent: false };
  }
  // Nothing shipped since the last pass, which ended well: no sqlplus, no ssh (a poll every few
  // seconds costs nothing then); only the lag grows.
  const shipped = ctx.state.shippedSequences(); // the last sequence of each thread the shipper has on DR
  if (gate.cycle !== undefined && previous && previous.cycle === gate.cycle && !previous.lastError && previous.threads.length && previous.threads.every((t) => t.nextNeeded !== null && (shipped.get(t.thread) ?? 0) < t.nextNeeded)) {
    const times = previous.threads.map((t) => (t.appliedTime ? Date.parse(t.appliedTime.replace(' ', 'T')) : NaN)).filter((x) => !Number.isNaN(x));
    const lagSeconds = times.length ? Math.max(0, Math.round((now().getTime() - Math.min(...times)) / 1000)) : previous.lagSeconds;
    const progress: ApplyProgress = { ...previous, updatedAt: now().toISOString(), lagSeconds };
    writeJsonAtomic(file, progress);
    return { progress, becameConsistent: false };
  }
  if (previous?.cycle !== undefined && gate.cycle !== undefined && previous.cycle !== gate.cycle) {
    const before = await probe(sql);
    if (before.status !== 'idle') {
      ctx.log.info(`a new hot backup cycle finished (${gate.cycle}): SHUTDOWN IMMEDIATE, to mount the standby with the standby controlfile it shipped`);
      const out = await sql.script([STANDBY_SQL.shutdownImmediate]);
      if ((await probe(sql)).status !== 'idle') throw new OracleError('the standby instance could not be shut down for the new cycle', oraLines(out));
    }
  }
  const inst = await ensureMounted(sql, (m) => ctx.log.info(m));
  const prodDbid = productionDbid(ctx);
  if (prodDbid && inst.dbid && prodDbid !== inst.dbid) {
    throw new PreconditionError(`the DR instance belongs to another database (DBID ${inst.dbid}; production is DBID ${prodDbid})`, `check standby.oracle_sid (${ctx.config.standby.sid}) and standby.oracle_home: they must name the standby of ${ctx.config.oracle.sid}`);
  }
  if (inst.status === 'OPEN') {
    ctx.log.warn(`the standby is open ${inst.openMode} (a drill?): no recovery while it is open`);
    const progress: ApplyProgress = { ...(previous ?? { threads: [], lagSeconds: null, consistent: false }), updatedAt: now().toISOString(), lastError: `the standby is open ${inst.openMode}: apply paused` };
    writeJsonAtomic(file, progress);
    return { progress, becameConsistent: false };
  }
  await renameFiles(ctx, sql);

  // What the shipper had shipped before recovery looked: a log shipped during the RECOVER is not a gap.
  const shippedBefore = ctx.state.shippedSequences();
  let outcome: RecoverOutcome;
  let text: string;
  for (let creates = 0; ; creates++) {
    text = await sql.script([...STANDBY_SQL.recoverPass, ...PROBE, STANDBY_SQL.fuzzyCount]);
    outcome = parseRecoverOutput(text);
    if (creates >= MAX_CREATES || !(await createAddedDatafile(ctx, sql, outcome))) break;
  }
  const after = readInstance(text);
  const fuzzy = Number(/^FUZZY\|(\d+)/m.exec(text)?.[1] ?? NaN);
  const cp = readJsonIfExists<{ scn: string }>(ctx.state.consistentPoint());
  const scn = after.currentScn ?? null;
  const consistent = fuzzy === 0 && scn !== null && (!cp || BigInt(scn) >= BigInt(cp.scn));

  const threads = outcome.needed.length
    ? outcome.needed.map((n) => {
        const t = parseOracleTime(n.time);
        return { thread: n.thread, appliedSequence: n.sequence - 1, appliedScn: scn, appliedTime: t ? fmtTime(t) : null, nextNeeded: n.sequence };
      })
    : (previous?.threads ?? []);
  const times = outcome.needed.map((n) => parseOracleTime(n.time)).filter((d): d is Date => d !== undefined);
  const oldest = times.length ? Math.min(...times.map((d) => d.getTime())) : undefined;
  const lagSeconds = oldest !== undefined ? Math.max(0, Math.round((now().getTime() - oldest) / 1000)) : (previous?.lagSeconds ?? null);
  const failed = outcome.errors.length > 0;
  const lastError = failed ? outcome.errors.join(' ') : null;
  const drGaps = failed ? [] : missingOnDr(outcome, shippedBefore);
  if (ctx.config.standby.runOn === 'dr') updateReshipRequests(ctx.state, new Map(threads.filter((t) => t.nextNeeded !== null).map((t) => [t.thread, t.nextNeeded!])), drGaps, now());
  const progress: ApplyProgress = {
    updatedAt: now().toISOString(), threads, lagSeconds, consistent, lastError, ...(gate.cycle !== undefined && { cycle: gate.cycle }), ...(drGaps.length && { drGaps }), ...(previous?.drArchive && { drArchive: previous.drArchive }),
  };
  writeJsonAtomic(file, progress);

  for (const t of threads) {
    ctx.log.info(`applied thread ${t.thread} through sequence ${t.appliedSequence} (standby at SCN ${t.appliedScn}, changes up to ${t.appliedTime ?? 'unknown'}); next needed: sequence ${t.nextNeeded}; apply lag ${lagSeconds ?? '?'} s`);
  }
  const becameConsistent = consistent && (!previous?.consistent || previous.cycle !== gate.cycle);
  if (becameConsistent) ctx.log.info(`standby consistent: can be opened (SCN ${scn}${cp ? `, consistent point ${cp.scn}` : ''})`);
  if (failed) {
    throw new OracleError('recovery of the standby stopped with an error', outcome.errors, recoveryHint(outcome.errors));
  }
  if (drGaps.length) {
    throw new GapError(
      `gap on DR: ${drGaps.map((g) => `thread ${g.thread} sequence ${g.sequence} was shipped but the standby cannot open it (${g.path})`).join('; ')}`,
      ctx.config.standby.runOn === 'dr'
        ? 'copy_archivelog ships it again on its next pass (apply_standby asked for it); nothing to do unless it exists nowhere on production any more (then copy_archivelog reports the gap)'
        : 'on production, ship it again: it was deleted or lost on DR after copy_archivelog shipped it (apply_standby runs on DR here: it cannot ask the shipper itself)',
    );
  }
  return { progress, becameConsistent };
}

/** Logs recovery stopped at (ORA-00308, the normal end) that the shipper had already shipped: lost on DR. */
function missingOnDr(outcome: RecoverOutcome, shipped: ReadonlyMap<number, number>): { thread: number; sequence: number; path: string }[] {
  const file = outcome.missing;
  if (!file) return [];
  const n = outcome.needed.length === 1 ? outcome.needed[0] : outcome.needed.find((x) => x.suggestion === file);
  if (!n || n.sequence > (shipped.get(n.thread) ?? 0)) return [];
  return [{ thread: n.thread, sequence: n.sequence, path: file }];
}

function recoveryHint(errors: string[]): string {
  const has = (code: string) => errors.some((l) => l.startsWith(code));
  if (has('ORA-00310') || has('ORA-00334') || has('ORA-00309')) return 'a shipped log does not hold what its name says (another database, incarnation or sequence): remove it on DR; copy_archivelog ships it again';
  if (has('ORA-00353') || has('ORA-00332')) return 'a shipped log is damaged or incomplete: remove it on DR; copy_archivelog ships it again from production';
  if (has('ORA-01111') || has('ORA-01157')) return 'a datafile of the standby is missing or unnamed: copy it again with a new cycle (bin/orquestra_dr --new-cycle) or create it (ALTER DATABASE CREATE DATAFILE … AS …)';
  if (has('ORA-01578') || has('ORA-26040')) return 'blocks changed with NOLOGGING on production cannot be recovered: refresh the affected files with a new cycle';
  return 'look at the standby alert log on DR; re-run apply_standby once the cause is fixed';
}

// orquestra_dr: one tmux session DR_<DB> with windows archivelog, hot_backup, monitor, and
// apply when standby.apply is configured.
// Re-running it never starts a second copy of a tool that still runs (its lock names a live
// pid) and restarts one that died. hot_backup starts only once copy_archivelog has recorded
// the cutoff SCN: no BEGIN BACKUP may come before it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { DrConfig } from './config/index.ts';
import { PreconditionError } from './errors.ts';
import { readResult } from './context.ts';
import { readLockHolder } from './lock.ts';
import type { Logger } from './log.ts';
import { LogFiles, StateFiles } from './state.ts';
import { Tmux, type PaneState } from './tmux.ts';

export const WINDOWS = ['archivelog', 'hot_backup', 'monitor', 'apply'] as const;
type WindowName = (typeof WINDOWS)[number];
const TOOL_OF: Record<WindowName, { bin: string; lockTool?: string; args: string[] }> = {
  archivelog: { bin: 'copy_archivelog.ts', lockTool: 'copy_archivelog', args: [] },
  hot_backup: { bin: 'hot_backup_ts.ts', lockTool: 'hot_backup_ts', args: [] },
  monitor: { bin: 'monitor.ts', args: [] },
  // apply_standby waits by itself while a hot backup copies and until a cycle has finished
  apply: { bin: 'apply_standby.ts', lockTool: 'apply_standby', args: [] },
};

/** The windows of this configuration: apply only when the standby's apply is configured. */
export function windowsOf(config: DrConfig): WindowName[] {
  return WINDOWS.filter((w) => w !== 'apply' || config.standby.apply);
}

/** Set (to true) by esbuild in the offline bundle (scripts/bundle.ts), where lib/<tool>.mjs is plain JavaScript. */
declare const DR_BUNDLED: boolean | undefined;

/** argv that runs one of our bins with this node and this project's tsx (in the bundle: its lib/<tool>.mjs), from any directory. */
export function toolArgv(projectRoot: string, bin: string, extra: string[]): string[] {
  if (typeof DR_BUNDLED !== 'undefined' && DR_BUNDLED) return [process.execPath, path.join(projectRoot, 'lib', bin.replace(/\.ts$/, '.mjs')), ...extra];
  const require = createRequire(path.join(projectRoot, 'package.json'));
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return [process.execPath, '--import', tsx, path.join(projectRoot, 'bin', bin), ...extra];
}

/** Variables a tool needs in its window. None of them is a secret (they are on tmux's command line). */
export const WINDOW_ENV = ['PATH', 'HOME', 'ORACLE_HOME', 'ORACLE_SID', 'NLS_LANG', 'LANG', 'TMPDIR'] as const;

/**
 * The command of a window: `/usr/bin/env K=V ... argv`. A tmux server started earlier by
 * someone else has its own environment, so the tool's is passed explicitly, and not with
 * `new-session -e`, which needs tmux 3.2 (OL/RHEL 8 has 2.7). tmux runs a command of more
 * than one word with execvp(), no shell (window.c in 2.7; spawn.c since 3.0), so paths
 * with spaces or quotes arrive intact.
 */
export function windowCommand(env: NodeJS.ProcessEnv, argv: string[]): string[] {
  return ['/usr/bin/env', ...WINDOW_ENV.flatMap((k) => (env[k] ? [`${k}=${env[k]}`] : [])), ...argv];
}

/**
 * The environment a window's tool gets: the caller's, with ORACLE_SID (and ORACLE_HOME when
 * configured) of the configuration's database. The DBA's shell may last have been set for
 * another database of the host; its windows must not say otherwise.
 */
export function windowEnv(config: DrConfig, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, ORACLE_SID: config.oracle.sid, ...(config.oracle.home && { ORACLE_HOME: config.oracle.home }) };
}

export interface OrchestrateOptions {
  newCycle: boolean;
  cutoffWaitMs: number;
}

/** created: new window; running: its tool holds its lock; restarted: it had died; kept: left as is (monitor alive, or hot_backup finished). */
export type WindowAction = 'created' | 'running' | 'restarted' | 'kept';

export async function orchestrate(config: DrConfig, log: Logger, opts: OrchestrateOptions): Promise<Partial<Record<WindowName, WindowAction>>> {
  const tmux = new Tmux(config.tmux.socketName);
  const session = config.tmux.session;
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  state.ensureDir();
  const shipperLog = new LogFiles(config.dirs.log, state).tool('copy_archivelog', 'log');
  const cmd = (w: WindowName) =>
    windowCommand(windowEnv(config, process.env), toolArgv(config.projectRoot, TOOL_OF[w].bin, [...TOOL_OF[w].args, '--config', config.source, ...(w === 'archivelog' && opts.newCycle ? ['--new-cutoff'] : [])]));
  const actions = {} as Partial<Record<WindowName, WindowAction>>;

  const alive = (w: WindowName): number | undefined => {
    const t = TOOL_OF[w].lockTool;
    if (!t) return undefined;
    const h = readLockHolder(state.lock(t));
    return h?.alive ? h.pid : undefined;
  };
  const start = async (w: WindowName, how: 'session' | 'window' | 'respawn') => {
    const keep = ['set-option', '-w', '-t', `=${session}:${w}`, 'remain-on-exit', 'on'];
    if (how === 'session') await tmux.must(['new-session', '-d', '-s', session, '-n', w, '-x', '100', '-y', '30', ...cmd(w), ';', ...keep]);
    else if (how === 'window') await tmux.must(['new-window', '-d', '-t', `=${session}:`, '-n', w, ...cmd(w), ';', ...keep]);
    else await tmux.must(['respawn-window', '-k', '-t', `=${session}:${w}`, ...cmd(w)]);
  };

  if (opts.newCycle) {
    for (const w of ['archivelog', 'hot_backup'] as const) {
      const pid = alive(w);
      if (pid) throw new PreconditionError(`cannot start a new backup cycle: ${TOOL_OF[w].lockTool} is running (pid ${pid})`, 'stop it first (Ctrl-C in its window), then re-run with --new-cycle');
    }
  }
  // Whether the last hot backup ended well is read from its own result file: tmux's
  // pane_dead_status is not always there, and a pane may even outlive its process.
  const finishedOk = () => readResult(state, 'hot_backup_ts')?.exitCode === 0;
  const existed = await tmux.hasSession(session);
  const windows = existed ? await tmux.windows(session) : new Map<string, PaneState>();
  for (const w of windowsOf(config)) {
    if (w === 'hot_backup') await waitForCutoff(state, opts, log, session, shipperLog);
    const pid = alive(w);
    const win = windows.get(w);
    if (pid) {
      actions[w] = 'running';
      log.info(`${w}: already running (pid ${pid}), not started again`);
      if (!win) log.warn(`${w}: runs outside the tmux session ${session} (started by hand?)`);
      continue;
    }
    if (!existed && w === 'archivelog') {
      await start(w, 'session');
      actions[w] = 'created';
    } else if (!win) {
      await start(w, 'window');
      actions[w] = 'created';
    } else if (win.dead && !(w === 'hot_backup' && finishedOk() && !opts.newCycle)) {
      // A hot backup that finished (exit 0) is left as it is: its window shows the result,
      // and re-running it would ship the standby controlfile again. One that died is restarted.
      await start(w, 'respawn');
      actions[w] = 'restarted';
    } else {
      actions[w] = 'kept';
    }
    log.info(`${w}: ${actions[w]}`);
  }
  return actions;
}

async function waitForCutoff(state: StateFiles, opts: OrchestrateOptions, log: Logger, session: string, shipperLog: string): Promise<void> {
  const file = state.scnCutoff();
  const before = fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined;
  const deadline = Date.now() + opts.cutoffWaitMs;
  let said = false;
  for (;;) {
    if (fs.existsSync(file) && (!opts.newCycle || fs.statSync(file).mtimeMs !== before)) return;
    if (Date.now() > deadline) {
      throw new PreconditionError(
        `copy_archivelog did not record the cutoff SCN in ${file} within ${Math.round(opts.cutoffWaitMs / 1000)} s; hot_backup was not started`,
        `look at the archivelog window (tmux attach -t ${session}) or ${shipperLog}, fix the cause and re-run orquestra_dr`,
      );
    }
    if (!said) log.info('waiting for copy_archivelog to record the cutoff SCN before starting hot_backup...');
    said = true;
    await sleep(200);
  }
}

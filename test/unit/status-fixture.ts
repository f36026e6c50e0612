// State directories in the four states status must tell apart (healthy, lagging, gap, tool
// dead), written file by file as the tools write them, at a fixed clock. Used by the status
// and alert tests; the product reads them through its own code only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateConfig, type DrConfig } from '../../lib/config/index.ts';
import { StateFiles } from '../../lib/state.ts';
import { tempDir } from '../helpers/tempDir.ts';

export const NOW = new Date('2026-11-21T23:40:00.000Z');
export const DEAD_PID = 2 ** 22 + 12345; // above Linux's highest pid_max: never a live process
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

export type Scenario = 'healthy' | 'lagging' | 'gap' | 'dead';

export interface Fixture {
  dir: string;
  config: DrConfig;
  state: StateFiles;
}

export function makeConfig(dir: string, extra: Record<string, unknown> = {}): DrConfig {
  return validateConfig(
    {
      oracle: { sid: 'DBPROD' },
      destination: { type: 'local' },
      path_map: { '/u05': '/u15' },
      archivelog: { dest_dir: '/dr/arch' },
      standby_controlfile: { dr_path: '/dr/ctl/control01.ctl' },
      dirs: { log: path.join(dir, 'log'), state: path.join(dir, 'state') },
      ...extra,
    },
    path.join(dir, 'dr.yaml'),
    dir,
  );
}

const write = (f: string, v: unknown) => {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, typeof v === 'string' ? v : JSON.stringify(v, null, 2));
};

function tool(state: StateFiles, name: string, o: { pid: number; startedAgo: number; beatAgo: number; stopped?: boolean; locked?: boolean }): void {
  const host = os.hostname();
  if (o.locked !== false) write(state.lock(name), { pid: o.pid, host, tool: name, startedAt: ago(o.startedAgo), argv: [] });
  write(state.heartbeat(name), { tool: name, pid: o.pid, host, startedAt: ago(o.startedAgo), at: ago(o.beatAgo), ...(o.stopped && { stoppedAt: ago(o.beatAgo) }) });
}

export function makeFixture(scenario: Scenario, extraConfig: Record<string, unknown> = {}): Fixture {
  const dir = tempDir('status-');
  const config = makeConfig(dir, extraConfig);
  const state = new StateFiles(config.dirs.state, config.oracle.sid);
  state.ensureDir();
  fs.mkdirSync(config.dirs.log, { recursive: true });
  write(state.scnCutoff(), '1000\n');
  write(state.tsDone('OLD'), { tablespace: 'OLD', cutoffScn: '999', files: [] }); // another cycle's: not counted
  if (scenario === 'lagging') {
    // the cycle's copy is under way: SYSTEM done, APP and USERS in backup mode for an hour and half an hour
    write(state.tsDone('SYSTEM'), { tablespace: 'SYSTEM', cutoffScn: '1000', files: [] });
    write(state.progress('hot_backup_ts'), {
      pid: process.pid, startedAt: ago(3700), updatedAt: ago(1), totalBytes: 3 * 1024 ** 3, doneBytes: 1024 ** 3,
      rateBytesPerSec: 50 * 1024 ** 2, etaSeconds: 41, tablespaces: { SYSTEM: 'done', USERS: 'pending', APP: 'pending', DATA: 'pending' }, finished: false,
    });
    tool(state, 'hot_backup_ts', { pid: process.pid, startedAgo: 3700, beatAgo: 4 });
    write(state.inflight('hot_backup_ts'), { tablespaces: ['APP', 'USERS'], since: { APP: ago(3600), USERS: ago(1800) } });
  } else {
    for (const ts of ['SYSTEM', 'USERS', 'APP']) write(state.tsDone(ts), { tablespace: ts, cutoffScn: '1000', files: [] });
    write(state.progress('hot_backup_ts'), {
      pid: 4242, startedAt: ago(3600), updatedAt: ago(600), totalBytes: 3 * 1024 ** 3, doneBytes: 3 * 1024 ** 3,
      rateBytesPerSec: 0, etaSeconds: null, tablespaces: { SYSTEM: 'done', USERS: 'done', APP: 'done' }, finished: true,
    });
    write(state.result('hot_backup_ts'), { pid: 4242, exitCode: 0, finishedAt: ago(600) });
    write(state.consistentPoint(), { scn: '2000', cutoffScn: '1000', threads: [{ thread: 1, sequence: 51 }], recordedAt: ago(600) });
    tool(state, 'hot_backup_ts', { pid: 4242, startedAgo: 3600, beatAgo: 600, stopped: true, locked: false });
    write(state.inflight('hot_backup_ts'), { tablespaces: [], since: {} });
  }

  const archived = scenario === 'lagging' ? 63 : 57;
  const shipped = 57;
  const passAgo = scenario === 'dead' ? 600 : 2;
  write(state.progress('copy_archivelog'), {
    pid: scenario === 'dead' ? DEAD_PID : process.pid,
    updatedAt: ago(passAgo),
    observedAt: ago(passAgo),
    cutoffScn: '1000',
    destId: 1,
    shippedTotal: 12,
    threads: [{
      thread: 1, productionSequence: (scenario === 'gap' ? 59 : archived) + 1, archivedSequence: scenario === 'gap' ? 59 : archived, archivedNextTime: '2026-11-21 23:39:30',
      firstNeeded: 46, lastShipped: shipped, shippedNextTime: scenario === 'lagging' ? '2026-11-21 23:19:30' : scenario === 'gap' ? '2026-11-21 23:30:00' : '2026-11-21 23:39:30',
    }],
    gaps: scenario === 'gap' ? [{ thread: 1, sequence: 58, reason: 'file /u12/arch/1_58_1.arc is missing on production (deleted before it was shipped?)' }] : [],
  });
  write(state.archiveDests(), {
    observedAt: ago(passAgo),
    dests: [{ destId: 1, status: 'VALID', error: '', destination: '/u12/arch', filesystem: { totalBytes: 100 * 1024 ** 3, freeBytes: 58_841_051_136, usedPercent: 45.2 } }],
  });
  if (scenario === 'dead') {
    tool(state, 'copy_archivelog', { pid: DEAD_PID, startedAgo: 7200, beatAgo: 605 });
    write(path.join(config.dirs.log, `errors.${config.oracle.sid}.log`), '2026-11-21 23:29:00 [copy_archivelog] shipping 1 archived log(s) to dr failed: rsync exit 12\n2026-11-21 23:29:00 [copy_archivelog] HINT: the next pass retries them\n');
  } else {
    tool(state, 'copy_archivelog', { pid: process.pid, startedAgo: 7200, beatAgo: 3 });
  }
  return { dir, config, state };
}

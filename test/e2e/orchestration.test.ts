// The whole suite as a DBA runs it: orquestra_dr in a real tmux server, both tools over a
// real sshd on 127.0.0.1, the simulated instance changing blocks all along; then the
// simulator's standby recovery on the DR copy must succeed and verify every block.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTmux, type Tmux } from '../helpers/tmux.ts';
import { makeWorld, waitFor, type World } from './world.ts';

let w: World;
let tmux: Tmux;

before(async () => {
  tmux = createTmux();
  w = await makeWorld({ tablespaces: 8, datafiles: 16, blocks: 96, seed: 7, oddNames: true, tmuxSocket: tmux.socketName, logSize: '128K' });
});
after(async () => {
  await tmux.kill().catch(() => undefined);
  await w?.dispose();
});

async function panes(): Promise<Map<string, { dead: boolean; status: string }>> {
  const r = await tmux.exec(['list-panes', '-s', '-t', '=DR_DBPROD', '-F', '#{window_name}\t#{pane_dead}\t#{pane_dead_status}']);
  assert.equal(r.code, 0, r.stderr);
  return new Map(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [n, d, s] = l.split('\t');
        return [n, { dead: d === '1', status: s }];
      }),
  );
}

/**
 * Waits for hot_backup's run to end (its result file, written by the tool) and requires exit 0.
 * tmux's own view of the pane is not used: tmux 3.3a sometimes leaves the exited process
 * unreaped (a zombie) and the pane never shows as dead.
 */
async function finished(since: number): Promise<string> {
  const result = await waitFor('hot_backup to finish', () => {
    const r = w.readState('hot_backup_ts.DBPROD.result.json');
    const parsed = r ? (JSON.parse(r) as { exitCode: number; finishedAt: string }) : undefined;
    return parsed && Date.parse(parsed.finishedAt) >= since ? parsed : undefined;
  }, 180_000);
  const screen = await tmux.capture('=DR_DBPROD:hot_backup');
  assert.equal(result.exitCode, 0, screen);
  return screen;
}

test('orquestra_dr builds a standby that recovers and verifies identical while production keeps changing', async () => {
  assert.equal((await w.sim(['workload', '--rate', '400'])).code, 0);

  const t0 = Date.now();
  const first = await w.tool('orquestra_dr', ['--cutoff-wait', '60']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /session DR_DBPROD: archivelog created, hot_backup created, monitor created\. Watch it with: tmux -L \S+ attach -t DR_DBPROD/);
  assert.deepEqual(await tmux.windows('DR_DBPROD'), ['archivelog', 'hot_backup', 'monitor']);

  // hot_backup runs to completion in its window and stays visible there.
  const hbScreen = await finished(t0);
  const [tsCount] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM dba_tablespaces WHERE contents <> 'TEMPORARY'`);
  assert.match(hbScreen, new RegExp(`hot backup complete in [\\d.]+ s: ${tsCount} tablespace\\(s\\) copied now, 1 skipped; standby consistent from SCN \\d+`));
  assert.deepEqual(await w.activeBackups(), [], 'no file may be left in backup mode');

  const monitor = await tmux.waitFor('=DR_DBPROD:monitor', /HOT BACKUP  finished/, 20_000);
  assert.match(monitor, new RegExp(`tablespaces: ${tsCount} done, 0 in backup mode, 0 pending, 0 failed`));
  assert.match(monitor, /ARCHIVED LOGS  shipping \(pid \d+\)/);
  assert.match(monitor, /gaps: none/);

  // A re-run adopts the session: nothing starts twice, the finished backup is left as it is.
  const again = await w.tool('orquestra_dr');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /archivelog running, hot_backup kept, monitor kept/);

  // Production goes on for a while, then stops; the DBA archives the current log.
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  const last = await w.archiveCurrent();
  await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);

  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.match(recover.stdout, /standby is consistent/);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  const [files] = await w.query(`SELECT TO_CHAR(COUNT(*)) FROM v$datafile`);
  assert.match(verify.stdout, new RegExp(`^verify: ${files} files, \\d+ blocks identical at SCN \\d+$`, 'm'));
});

test('closing the hot_backup window (SIGHUP) ends backup mode; a new cycle then completes and recovers', async () => {
  // A new cycle needs the shipper stopped first (it records the new cutoff when restarted).
  const refused = await w.tool('orquestra_dr', ['--new-cycle']);
  assert.equal(refused.code, 8);
  assert.match(refused.stderr, /^orquestra_dr: cannot start a new backup cycle: copy_archivelog is running \(pid \d+\)\nHINT: stop it first \(Ctrl-C in its window\), then re-run with --new-cycle\n$/);
  await tmux.exec(['send-keys', '-t', '=DR_DBPROD:archivelog', 'C-c']);
  await waitFor('archivelog to stop', async () => (await panes()).get('archivelog')?.dead || undefined, 20_000);

  w.updateConfig({ rsync: { bwlimit_kbps: 1500 } }); // slow enough to close the window mid-copy
  assert.equal((await w.sim(['workload', '--rate', '300'])).code, 0);
  const cycle = await w.tool('orquestra_dr', ['--new-cycle']);
  assert.equal(cycle.code, 0, cycle.stderr);
  assert.match(cycle.stdout, /archivelog restarted, hot_backup restarted, monitor kept/);
  await waitFor('a tablespace in backup mode', async () => ((await w.activeBackups()).length ? true : undefined), 60_000, 100);
  assert.equal((await tmux.exec(['kill-window', '-t', '=DR_DBPROD:hot_backup'])).code, 0);
  await waitFor('backup mode ended after SIGHUP', async () => ((await w.activeBackups()).length === 0 ? true : undefined), 30_000);
  // The tool logs its interruption after END BACKUP returns: give it the moment it needs.
  const interrupted = /\[ERROR\] interrupted by SIGHUP\n.*HINT: re-run the same command: completed tablespaces are kept and backup mode was ended/;
  await waitFor('the interruption in the log', () => interrupted.test(w.readLog('hot_backup_ts.DBPROD.out')) || undefined, 15_000).catch(() => undefined);
  assert.match(w.readLog('hot_backup_ts.DBPROD.out'), interrupted);

  w.updateConfig({ rsync: { bwlimit_kbps: 0 } });
  const t1 = Date.now();
  const back = await w.tool('orquestra_dr');
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /archivelog running, hot_backup created, monitor kept/);
  await finished(t1);
  assert.deepEqual(await w.activeBackups(), []);

  assert.equal((await w.sim(['workload', '--stop'])).code, 0);
  const last = await w.archiveCurrent();
  await waitFor(`sequence ${last} shipped`, () => Number(w.readState('last_arch_seq_thread1.DBPROD') ?? 0) >= last || undefined, 60_000);
  const { recover, verify } = await w.recoverAndVerify();
  assert.equal(recover.code, 0, recover.stdout + recover.stderr);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

// Gaps end to end (issue 8 item 2): production's archived sequences vs shipped vs applied.
// A log deleted before it was shipped is a gap that says where the log still exists (an RMAN
// backup only, or nowhere) and what closes it; restored, it is shipped and applied past. A log
// the shipper failed to send, and one lost on DR after it was shipped, are gaps on the DR side:
// the standby waits at them, status names them, copy_archivelog ships them again and the gap
// closes. Every test ends with the standby verified identical.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyAllAndVerify, buildStandby, ok, withStandbyWorld } from './steps.ts';
import type { World } from './world.ts';

interface StatusJson {
  databases: {
    status: string;
    conditions: { id: string; severity: string; summary: string }[];
    transport: { gaps: { thread: number; sequence: number; where?: string; location?: string }[] };
    standby: { threads: { appliedSequence: number; nextNeeded: number }[]; gaps: { thread: number; sequence: number; state: string; detail: string }[] };
  }[];
}

async function status(w: World): Promise<StatusJson['databases'][number]> {
  const r = await w.tool('status', ['--json']);
  return (JSON.parse(r.stdout) as StatusJson).databases[0]!;
}


const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A tool's stderr without the log lines it also writes there ('YYYY-MM-DD HH:MM:SS [LEVEL] ...'). */
const message = (stderr: string) => stderr.split('\n').filter((l) => !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[/.test(l)).join('\n');

test('a log deleted before it was shipped: the gap names its sequence and where it still exists (only in an RMAN backup; nowhere); restored from RMAN it is shipped and applied past; a new cycle gets past one that exists nowhere', async () => {
  await withStandbyWorld({ tablespaces: 2, datafiles: 4, blocks: 64, seed: 31 }, async (w, drHome) => {
    await buildStandby(w, drHome);

    // An RMAN archivelog backup with DELETE INPUT ran before the shipper got to `lost`.
    const lost = await w.archiveCurrent();
    const b = await w.sim(['rman', 'backup-archivelog', '--sequence', String(lost), '--delete-input']);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    const { setStamp, setCount } = JSON.parse(b.stdout) as { setStamp: number; setCount: number };
    const later = await w.archiveCurrent();
    const r = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r.code, 7, r.stdout + r.stderr);
    const what = `thread 1 sequence ${lost} (not available on production (STATUS D, DELETED YES, NAME is NULL); it exists only in an RMAN backup (backup set ${setStamp}/${setCount}))`;
    assert.equal(message(r.stderr), `copy_archivelog: archived-log gap: ${what}\nHINT: restore from RMAN: RESTORE ARCHIVELOG SEQUENCE ${lost} THREAD 1; copy_archivelog ships it on its next pass\n`);
    assert.match(w.readLog('errors.DBPROD.log'), new RegExp(`\\[copy_archivelog\\] GAP: archived log ${esc(what)}: the standby cannot recover past it\\n`));
    assert.equal(Number(w.readState('last_arch_seq_thread1.DBPROD')), lost - 1, 'the shipped state stops before the gap');
    assert.ok(fs.readdirSync(path.join(w.dr, 'arch')).some((f) => f.startsWith(`1_${later}_`)), 'logs after the gap are shipped anyway');

    await ok(w, 'apply_standby', ['--once']);
    let s = await status(w);
    assert.deepEqual(s.transport.gaps.map((g) => [g.thread, g.sequence, g.where, g.location]), [[1, lost, 'rman_backup', `backup set ${setStamp}/${setCount}`]]);
    assert.deepEqual(s.standby.threads.map((t) => [t.appliedSequence, t.nextNeeded]), [[lost - 1, lost]], 'the standby waits at the gap');
    assert.equal(s.status, 'CRITICAL');
    assert.ok(s.conditions.some((c) => c.id === 'gap' && c.summary === `archived-log gap: ${what}: the standby cannot recover past it`), JSON.stringify(s.conditions));

    // Restored by the DBA: shipped from the restore (DEST_ID 0), the gap closes, the standby applies past it.
    assert.equal((await w.sim(['rman', 'restore-archivelog', '--sequence', String(lost)])).code, 0);
    await ok(w, 'copy_archivelog', ['--once']);
    assert.match(w.readLog('copy_archivelog.DBPROD.log'), new RegExp(`\\[INFO\\] shipped thread 1 sequence ${lost} \\(\\S+ from an RMAN restore or catalog \\(DEST_ID 0\\), SCN \\d+\\.\\.\\d+\\)\\n`));
    assert.ok(Number(w.readState('last_arch_seq_thread1.DBPROD')) >= later);
    await ok(w, 'apply_standby', ['--once']);
    s = await status(w);
    assert.deepEqual(s.transport.gaps, []);
    assert.ok(s.standby.threads[0]!.appliedSequence >= later, `applied past the gap: ${JSON.stringify(s.standby.threads)}`);

    // Deleted with no backup: it exists nowhere, and the hint says a new cycle is the way past.
    const gone = await w.archiveCurrent();
    assert.equal((await w.sim(['fault', 'delete-archived', '--sequence', String(gone), '--mark-deleted'])).code, 0);
    const r2 = await w.tool('copy_archivelog', ['--once']);
    assert.equal(r2.code, 7, r2.stdout + r2.stderr);
    assert.equal(
      message(r2.stderr),
      `copy_archivelog: archived-log gap: thread 1 sequence ${gone} (not available on production (STATUS D, DELETED YES, NAME is NULL); it is in no RMAN backup either: it exists nowhere)\n` +
        `HINT: thread 1 sequence ${gone} cannot be shipped from anywhere: the standby cannot recover past it; take a new hot backup cycle (bin/orquestra_dr --new-cycle: on an existing DR copy it is a refresh that sends only the changed blocks)\n`,
    );
    await ok(w, 'copy_archivelog', ['--once', '--new-cutoff']);
    await ok(w, 'hot_backup_ts');
    await applyAllAndVerify(w, drHome);
    assert.deepEqual((await status(w)).transport.gaps, []);
  });
});

test('a log the shipper failed to send, and one lost on DR after it was shipped: status names the gap on DR, copy_archivelog ships them again, the gap closes and the standby verifies identical', async () => {
  await withStandbyWorld({ tablespaces: 2, datafiles: 4, blocks: 64, seed: 32 }, async (w, drHome) => {
    const drArch = path.join(w.dr, 'arch');
    await buildStandby(w, drHome);

    // Failed to send: a directory stands where the log must go on DR.
    const failed = await w.archiveCurrent();
    const [name] = await w.query(`SELECT name FROM v$archived_log WHERE dest_id = 1 AND sequence# = ${failed}`);
    const obstacle = path.join(drArch, path.basename(name!));
    fs.mkdirSync(path.join(obstacle, 'x'), { recursive: true });
    const r = await w.tool('copy_archivelog', ['--once']);
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    await ok(w, 'apply_standby', ['--once']);
    let s = await status(w);
    assert.deepEqual(s.standby.threads.map((t) => t.nextNeeded), [failed]);
    assert.deepEqual(s.standby.gaps.map((g) => [g.thread, g.sequence, g.state]), [[1, failed, 'shipping_failed']]);
    assert.match(s.standby.gaps[0]!.detail, new RegExp(`^not on DR: copy_archivelog's last transfer of it failed \\(.*${esc(path.basename(name!))}.*\\); it is retried every pass$`));
    assert.ok(s.conditions.some((c) => c.id === 'standby_gap' && c.summary.startsWith(`the standby waits for thread 1 sequence ${failed}: not on DR: copy_archivelog's last transfer of it failed`)), JSON.stringify(s.conditions));

    fs.rmSync(obstacle, { recursive: true });
    await ok(w, 'copy_archivelog', ['--once']);
    await ok(w, 'apply_standby', ['--once']);
    s = await status(w);
    assert.deepEqual(s.standby.gaps, []);
    assert.ok(s.standby.threads[0]!.appliedSequence >= failed);

    // Lost on DR after it was shipped: recovery cannot open it; apply_standby asks for it again.
    const lostOnDr = await w.archiveCurrent();
    await ok(w, 'copy_archivelog', ['--once']);
    const drFile = fs.readdirSync(drArch).find((f) => f.startsWith(`1_${lostOnDr}_`))!;
    fs.rmSync(path.join(drArch, drFile));
    const a = await w.tool('apply_standby', ['--once']);
    assert.equal(a.code, 7, a.stdout + a.stderr);
    assert.equal(
      message(a.stderr),
      `apply_standby: gap on DR: thread 1 sequence ${lostOnDr} was shipped but the standby cannot open it (${path.join(drArch, drFile)})\n` +
        'HINT: copy_archivelog ships it again on its next pass (apply_standby asked for it); nothing to do unless it exists nowhere on production any more (then copy_archivelog reports the gap)\n',
    );
    s = await status(w);
    assert.deepEqual(s.standby.gaps.map((g) => [g.thread, g.sequence, g.state, g.detail]), [[1, lostOnDr, 'missing_on_dr', `shipped, but not on DR (${path.join(drArch, drFile)}): copy_archivelog ships it again`]]);
    await ok(w, 'copy_archivelog', ['--once']);
    assert.match(w.readLog('copy_archivelog.DBPROD.log'), new RegExp(`\\[INFO\\] shipping thread 1 sequence ${lostOnDr} again: apply_standby found it missing on DR\\n`));
    assert.ok(fs.existsSync(path.join(drArch, drFile)), 'shipped again');
    await ok(w, 'apply_standby', ['--once']);
    s = await status(w);
    assert.deepEqual(s.standby.gaps, []);
    assert.ok(s.standby.threads[0]!.appliedSequence >= lostOnDr);
    await applyAllAndVerify(w, drHome);
  });
});

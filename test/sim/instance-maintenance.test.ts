// DBA operations of the simulated instance that the suite must survive: OPEN RESETLOGS (a new
// incarnation), RMAN CATALOG of an archived log (DEST_ID 0), RENAME of a tablespace, a statement
// that stalls, an archive destination in ASM.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { recoverStandby } from './recover.ts';
import { convertArg, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));
const small = ['--tablespaces', '1', '--datafiles', '5', '--size', '32', '--log-size', '64K'];

async function archiveCurrent(sb: Sandbox): Promise<number> {
  await sb.sql('alter system archive log current');
  const [[max]] = await sb.rows('select max(sequence#) from v$archived_log where dest_id = 1 and resetlogs_change# = (select resetlogs_change# from v$database)');
  return Number(max);
}

describe('DBA operations', () => {
  it('OPEN RESETLOGS: a new incarnation whose logs a standby of the old one cannot apply', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    await sb.admin({ cmd: 'workload', rate: 800 });
    const { controlfile } = await manualBackup(sb);
    await sb.admin({ cmd: 'workload', stop: true });
    const [[oldReset, oldSeq]] = await sb.rows("select resetlogs_change#, (select max(sequence#) from v$archived_log) from v$database");
    const mustFail = await sb.admin({ cmd: 'open-resetlogs' }).catch((e: Error) => e.message);
    assert.equal(mustFail, 'ORA-01531: a database already open by the instance');

    assert.equal(sb.sim('stop').code, 0);
    assert.equal(sb.sim('start', '--mount').code, 0);
    const r = sb.sim('open-resetlogs');
    assert.equal(r.code, 0, r.err);
    const [[reset, mode]] = await sb.rows('select resetlogs_change#, open_mode from v$database');
    assert.ok(Number(reset) > Number(oldReset));
    assert.equal(mode, 'READ WRITE');
    assert.deepEqual(await sb.rows("select sequence# from v$log where status = 'CURRENT'"), [[1]]);
    await sb.admin({ cmd: 'change', file: 4, count: 5 });
    const s1 = await archiveCurrent(sb);
    assert.equal(s1, 1, 'sequences restart at 1');
    const [[oldRows]] = await sb.rows(`select count(*) from v$archived_log where resetlogs_change# = ${oldReset}`);
    assert.ok(Number(oldRows) >= Number(oldSeq), 'the old incarnation keeps its rows');
    const [[newName, newId]] = await sb.rows(`select name, resetlogs_id from v$archived_log where resetlogs_change# = ${reset} and sequence# = 1`);
    assert.ok(String(newName).endsWith(`1_1_${newId}.dbf`), String(newName));

    // The wrong procedure: ship the new incarnation's logs to the standby of the old one.
    fs.copyFileSync(String(newName), path.join(sb.drArch, path.basename(String(newName))));
    const rec = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(rec.ok, true, 'the old incarnation alone recovers to its consistent point');
    assert.ok(rec.scn <= Number(reset), `the standby cannot follow past RESETLOGS (recovered to ${rec.scn}, resetlogs at ${reset}): ${rec.lines.join('\n')}`);
    const [[cur]] = await sb.rows('select current_scn from v$database');
    assert.ok(Number(cur) > Number(reset) + 5, 'production moved on in the new incarnation');
  });

  it('RMAN CATALOG ARCHIVELOG: a DEST_ID 0 row from the file header; non-logs and missing files are refused', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    await sb.admin({ cmd: 'change', file: 4, count: 3 });
    const seq = await archiveCurrent(sb);
    const [[name, first, next, blocks, rid]] = await sb.rows(`select name, first_change#, next_change#, blocks, resetlogs_id from v$archived_log where dest_id = 1 and sequence# = ${seq}`);
    const restored = path.join(sb.base, 'restore', path.basename(String(name)));
    fs.mkdirSync(path.dirname(restored), { recursive: true });
    fs.copyFileSync(String(name), restored);
    await sb.admin({ cmd: 'fault', fault: 'delete-archived', sequence: seq, dest: 1 });
    assert.equal(fs.existsSync(String(name)), false);
    const r = sb.sim('catalog', '--file', restored);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await sb.rows(`select dest_id, name, thread#, first_change#, next_change#, blocks, resetlogs_id, status, deleted from v$archived_log where sequence# = ${seq} order by dest_id`), [
      [0, restored, 1, first, next, blocks, rid, 'A', 'NO'],
      [1, name, 1, first, next, blocks, rid, 'A', 'NO'],
    ]);
    assert.equal(fs.statSync(restored).size, (Number(blocks) + 1) * 512);
    const junk = path.join(sb.base, 'junk.dbf');
    fs.writeFileSync(junk, Buffer.alloc(4096));
    assert.match(sb.sim('catalog', '--file', junk).err, /ORA-19563: header validation failed for file .*junk\.dbf/);
    assert.match(sb.sim('catalog', '--file', path.join(sb.base, 'none.dbf')).err, /ORA-19625: error identifying file .*none\.dbf\nORA-27037/);
  });

  it('RMAN BACKUP ARCHIVELOG … DELETE INPUT: V$BACKUP_REDOLOG keeps the log, V$ARCHIVED_LOG says deleted; RESTORE ARCHIVELOG brings the same bytes back', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    await sb.admin({ cmd: 'change', file: 4, count: 3 });
    const seq = await archiveCurrent(sb);
    const [[name, first, next, blocks]] = await sb.rows(`select name, first_change#, next_change#, blocks from v$archived_log where dest_id = 1 and sequence# = ${seq}`);
    const bytes = fs.readFileSync(String(name));
    assert.deepEqual(await sb.rows('select count(*) from v$backup_redolog'), [[0]]);
    const b = sb.sim('rman', 'backup-archivelog', '--sequence', String(seq), '--delete-input');
    assert.equal(b.code, 0, b.err);
    assert.equal(fs.existsSync(String(name)), false, 'DELETE INPUT removed the file');
    assert.deepEqual(await sb.rows(`select status, deleted, name from v$archived_log where dest_id = 1 and sequence# = ${seq}`), [['D', 'YES', null]]);
    assert.deepEqual(await sb.rows('select thread#, sequence#, first_change#, next_change#, blocks, block_size from v$backup_redolog'), [[1, seq, first, next, blocks, 512]]);
    const r = sb.sim('rman', 'restore-archivelog', '--sequence', String(seq));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await sb.rows(`select dest_id, name, status, deleted from v$archived_log where sequence# = ${seq} and status = 'A'`), [[0, name, 'A', 'NO']]);
    assert.ok(fs.readFileSync(String(name)).equals(bytes), 'the restored log is the archived one');
    // A log deleted with no backup: RMAN has nothing to restore.
    const seq2 = await archiveCurrent(sb);
    const [[first2]] = await sb.rows(`select first_change# from v$archived_log where dest_id = 1 and sequence# = ${seq2}`);
    await sb.admin({ cmd: 'fault', fault: 'delete-archived', sequence: seq2, markDeleted: true });
    assert.equal(sb.sim('rman', 'restore-archivelog', '--sequence', String(seq2)).err.trim(), `sim: RMAN-06025: no backup of archived log for thread 1 with sequence ${seq2} and starting SCN of ${first2} found to restore`);
    assert.match(sb.sim('rman', 'backup-archivelog', '--sequence', String(seq2)).err, /RMAN-06059: expected archived log not found, loss of archived log compromises recoverability/);
  });

  it('an OMF destination (fast recovery area): o1_mf_1_<seq>_<id>_.arc under <dest>/<DB>/archivelog/<YYYY_MM_DD>/; shipped under that name, RECOVER AUTOMATIC does not find the logs; under LOG_ARCHIVE_FORMAT it does', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    const o = sb.sim('fault', 'omf-dest', '--dest', '1');
    assert.equal(o.code, 0, o.err);
    const [[loc]] = await sb.rows('select destination from v$archive_dest where dest_id = 1');
    await sb.admin({ cmd: 'workload', rate: 800 });
    const { controlfile, shipped } = await manualBackup(sb);
    await sb.admin({ cmd: 'workload', stop: true });
    const logs = await sb.rows(`select sequence#, name, resetlogs_id from v$archived_log where dest_id = 1 and sequence# >= ${shipped[0]} order by sequence#`);
    for (const [seq, name] of logs) {
      assert.match(String(name), new RegExp(`^${String(loc).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/DBPROD/archivelog/\\d{4}_\\d\\d_\\d\\d/o1_mf_1_${seq}_[a-z0-9]{8}_\\.arc$`));
    }
    // the wrong procedure: the logs kept their OMF names on DR
    const wrong = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(wrong.ok, false);
    assert.match(wrong.lines.join('\n'), new RegExp(`ORA-00308: cannot open archived log '${sb.drArch}/1_${shipped[0]}_${logs[0]![2]}\\.dbf'`));
    // shipped under LOG_ARCHIVE_FORMAT (%t_%s_%r.dbf) they recover
    for (const [seq, name, rid] of logs) fs.renameSync(path.join(sb.drArch, path.basename(String(name))), path.join(sb.drArch, `1_${seq}_${rid}.dbf`));
    const right = recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
    assert.equal(right.ok, true, right.lines.join('\n'));
  });

  it('RENAME TO a name with & and lowercase; SYSTEM cannot be renamed', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    assert.equal(sb.sim('rename-tablespace', '--from', 'USERS', '--to', 'R&d').code, 0);
    assert.deepEqual(await sb.rows("select count(*) from dba_data_files where tablespace_name = 'R&d'"), [[1]]);
    await sb.sql('alter tablespace "R&d" begin backup');
    await sb.sql('alter tablespace "R&d" end backup');
    assert.match(sb.sim('rename-tablespace', '--from', 'SYSTEM', '--to', 'X').err, /ORA-13502: Cannot rename SYSTEM tablespace/);
    assert.match(sb.sim('rename-tablespace', '--from', 'SYSAUX', '--to', 'R&d').err, /ORA-13502/);
    assert.match(sb.sim('rename-tablespace', '--from', 'APP_001', '--to', 'R&d').err, /ORA-02154: a tablespace with the name 'R&d' is found/);
  });

  it('stall-sql: a matching statement waits until released, the others go on', async () => {
    const sb = sandbox(small);
    boxes.push(sb);
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    await sb.admin({ cmd: 'fault', fault: 'stall-sql', match: '^alter tablespace users begin backup$' });
    let done = false;
    const stalled = sb.sql('alter tablespace users begin backup').then(() => (done = true));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(done, false);
    assert.deepEqual(await sb.rows("select count(*) from v$backup where status = 'ACTIVE'"), [[0]]);
    await sb.admin({ cmd: 'fault', fault: 'stall-sql', on: false });
    await stalled;
    assert.deepEqual(await sb.rows("select count(*) from v$backup where status = 'ACTIVE'"), [[1]]);
    await sb.sql('alter tablespace users end backup');
  });

  it('an ASM archive destination: +DG names no filesystem path reaches', async () => {
    const sb = sandbox([...small, '--dest2', '/tmp/unused-dest2-placeholder']);
    boxes.push(sb);
    fs.rmSync('/tmp/unused-dest2-placeholder', { recursive: true, force: true });
    { const st = sb.sim('start'); assert.equal(st.code, 0, st.err + st.out); }
    await sb.admin({ cmd: 'fault', fault: 'asm-dest', dest: 2, diskgroup: '+FRA' });
    const seq = await archiveCurrent(sb);
    assert.deepEqual(await sb.rows('select dest_id, destination from v$archive_dest where dest_id in (1, 2) order by dest_id'), [
      [1, path.join(sb.root, 'u12', 'fra', 'DBPROD', 'archivelog')],
      [2, '+FRA'],
    ]);
    const [[name]] = await sb.rows(`select name from v$archived_log where dest_id = 2 and sequence# = ${seq}`);
    assert.match(String(name), new RegExp(`^\\+FRA/DBPROD/ARCHIVELOG/1_${seq}_\\d+\\.dbf$`));
    assert.equal(fs.existsSync(String(name)), false);
  });
});

// Container databases: the correct per-tablespace procedure run through the fake sqlplus
// across every container recovers and verifies identical under load; procedures that miss
// a container's files fail the way Oracle does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { recoverStandby } from './recover.ts';
import { verifyStandby } from './verify.ts';
import { manualBackupCdb } from './instance/testkit-cdb.ts';
import { convertArg, drPath, manualBackup, sandbox, type Sandbox } from './instance/testkit.ts';

const boxes: Sandbox[] = [];
after(() => boxes.forEach((b) => b.cleanup()));
afterEach(() => boxes.splice(0).forEach((b) => b.cleanup())); // one loaded instance at a time on 2 cores
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function cdb(seed: number, extra: string[] = []): Promise<Sandbox> {
  const sb = sandbox(['--cdb', '--pdbs', '2', '--tablespaces', '1', '--size', '48', '--seed', String(seed), '--log-size', '64K', ...extra]);
  boxes.push(sb);
  assert.equal(sb.sim('start').code, 0);
  await sb.admin({ cmd: 'workload', rate: 1500 });
  await sleep(250);
  return sb;
}

const recover = (sb: Sandbox, controlfile: string) => recoverStandby({ controlfile, convert: convertArg(sb), archiveDir: sb.drArch });
const verify = (sb: Sandbox, controlfile: string) => verifyStandby({ controlfile, convert: convertArg(sb) });

describe('CDB: correct procedure through sqlplus', () => {
  for (const seed of [1, 2]) {
    it(`every container, per tablespace, under load: recovers and verifies identical (seed ${seed})`, async () => {
      const sb = await cdb(seed, seed === 2 ? ['--pdb-names', 'SALES,hr_app', '--odd-names'] : []);
      const { controlfile, shipped, copied, containers } = await manualBackupCdb(sb, { afterCopy: () => sleep(40) });
      assert.deepEqual(containers.map((k) => `${k.conId} ${k.name} ${k.openMode}`),
        seed === 2 ? ['1 CDB$ROOT READ WRITE', '2 PDB$SEED READ ONLY', '3 SALES READ WRITE', '4 hr_app READ WRITE']
          : ['1 CDB$ROOT READ WRITE', '2 PDB$SEED READ ONLY', '3 PDB1 READ WRITE', '4 PDB2 READ WRITE']);
      const all = (await sb.rows('select name from v$datafile order by file#')).map((r) => String(r[0]));
      assert.deepEqual([...copied].sort(), [...all].sort(), 'every datafile of every container was copied');
      assert.ok(shipped.length >= 2, `several logs shipped: ${shipped}`);
      const r = recover(sb, controlfile);
      assert.equal(r.ok, true, r.lines.join('\n'));
      const v = verify(sb, controlfile);
      assert.equal(v.ok, true, v.lines.join('\n'));
      assert.match(v.lines.at(-1)!, new RegExp(`^verify: ${all.length} files, \\d+ blocks identical at SCN ${r.scn}$`));
      // the workload changed the PDBs too: their files were recovered past their window
      const [[cur]] = await sb.rows('select current_scn from v$database');
      assert.ok(Number(cur) > r.scn);
    });
  }

  it('a MOUNTED PDB: its files are copied as they are and recovered from their checkpoint', async () => {
    const sb = await cdb(3);
    await sb.sql('alter pluggable database pdb2 close immediate');
    await sleep(300); // redo moves on while PDB2 is closed
    await sb.sql('alter system archive log current');
    const { controlfile } = await manualBackupCdb(sb);
    const r = recover(sb, controlfile);
    assert.equal(r.ok, true, r.lines.join('\n'));
    const v = verify(sb, controlfile);
    assert.equal(v.ok, true, v.lines.join('\n'));
  });
});

describe('CDB: wrong procedures are caught', () => {
  it("omitting one PDB's tablespace: recovery stops with ORA-01157/ORA-01110 naming its file, verify reports it", async () => {
    const sb = await cdb(4);
    const { controlfile } = await manualBackupCdb(sb, { omit: (k, ts) => k === 'PDB2' && ts === 'USERS' });
    const [[file, name]] = await sb.rows("select file_id, file_name from dba_data_files where tablespace_name = 'USERS'", 'PDB2');
    const r = recover(sb, controlfile);
    assert.equal(r.ok, false);
    assert.deepEqual(r.lines, [
      `ORA-01157: cannot identify/lock data file ${file} - see DBWR trace file`,
      `ORA-01110: data file ${file}: '${drPath(sb, String(name))}'`,
    ]);
    const v = verify(sb, controlfile);
    assert.equal(v.ok, false);
    assert.ok(v.lines.includes(`verify: file ${file} block 0: standby file '${drPath(sb, String(name))}' is missing`), v.lines.join('\n'));
  });

  it('the non-CDB procedure (DBA_ views of the root) misses every PDB: ORA-01157 at the first PDB$SEED file', async () => {
    const sb = await cdb(5);
    const { controlfile } = await manualBackup(sb);
    const [[file, name]] = await sb.rows('select file#, name from v$datafile where con_id = 2 order by file#');
    const r = recover(sb, controlfile);
    assert.equal(r.ok, false);
    assert.deepEqual(r.lines, [
      `ORA-01157: cannot identify/lock data file ${file} - see DBWR trace file`,
      `ORA-01110: data file ${file}: '${drPath(sb, String(name))}'`,
    ]);
  });

  it('leaving PDB$SEED out: ORA-01157 for its first file', async () => {
    const sb = await cdb(6);
    const { controlfile } = await manualBackupCdb(sb, { omitContainer: (k) => k === 'PDB$SEED' });
    const [[file]] = await sb.rows('select min(file#) from v$datafile where con_id = 2');
    const r = recover(sb, controlfile);
    assert.equal(r.ok, false);
    assert.match(r.lines[0]!, new RegExp(`^ORA-01157: cannot identify/lock data file ${file} - see DBWR trace file$`));
  });

  it("shipping logs only from the windows' SCN with a PDB closed earlier: recovery asks for the older log", async () => {
    const sb = await cdb(7);
    await sb.sql('alter pluggable database pdb1 close immediate');
    for (let i = 0; i < 3; i++) await sb.sql('alter system archive log current');
    await sleep(200);
    const { controlfile, cutoff } = await manualBackupCdb(sb, { cutoffFromWindowsOnly: true });
    const [[closedAt]] = await sb.rows('select min(checkpoint_change#) from v$datafile where con_id = 3');
    assert.ok(Number(closedAt) < cutoff, `PDB1 closed at ${closedAt}, windows from ${cutoff}`);
    const r = recover(sb, controlfile);
    assert.equal(r.ok, false, r.lines.join('\n'));
    assert.match(r.lines[0]!, new RegExp(`^ORA-00279: change ${closedAt} generated at .* needed for thread 1$`));
    assert.match(r.lines.find((l) => l.startsWith('ORA-00308'))!, /^ORA-00308: cannot open archived log '.*'$/);
  });

  it('a PDB created after the copy: recovery stops at its first file (ORA-01274), as for an added datafile', async () => {
    const sb = await cdb(8);
    const { controlfile, cutoff } = await manualBackupCdb(sb);
    const created = await sb.admin({ cmd: 'fault', fault: 'create-pdb', name: 'PDB3' });
    await sb.sql('alter system archive log current');
    for (const [name] of await sb.rows(`select name from v$archived_log where dest_id = 1 and next_change# > ${cutoff}`)) {
      fs.copyFileSync(String(name), path.join(sb.drArch, path.basename(String(name))));
    }
    const first = created.files[0];
    const [[firstName]] = await sb.rows(`select name from v$datafile where file# = ${first}`);
    const r = recover(sb, controlfile);
    assert.equal(r.ok, false);
    assert.deepEqual(r.lines.slice(-3), [
      `File #${first} added to control file as 'UNNAMED${String(first).padStart(5, '0')}' because the parameter STANDBY_FILE_MANAGEMENT is set to MANUAL`,
      'ORA-00283: recovery session canceled due to errors',
      `ORA-01274: cannot add data file that was originally created as '${firstName}'`,
    ]);
  });
});

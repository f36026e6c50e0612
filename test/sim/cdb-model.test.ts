// Container databases in the simulator: layout, views by container, session state, backup
// mode per tablespace / PDB / CDB with Oracle's errors, PDB open and close, the workload.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTruth } from './instance/journal.ts';
import { SIM, sandbox, type Sandbox } from './instance/testkit.ts';

let sb: Sandbox;

const col = (rows: any[][]) => rows.map((r) => r.join(' '));
const active = async () => col(await sb.rows("select file# || ' ' || con_id from v$backup where status = 'ACTIVE' order by file#"));
const filesOf = async (conId: number, ts: string) =>
  (await sb.rows(`select d.file# from v$datafile d, v$tablespace t where d.con_id = t.con_id and d.ts# = t.ts# and d.con_id = ${conId} and t.name = '${ts}' order by 1`)).map((r) => `${r[0]} ${conId}`);

describe('container database (sim create --cdb)', () => {
before(() => {
  sb = sandbox(['--cdb', '--pdb-names', 'PDB1,hr_app', '--tablespaces', '1', '--size', '32', '--seed', '3']);
  const r = sb.sim('start');
  assert.equal(r.code, 0, r.out + r.err);
});
after(() => sb.cleanup());

describe('CDB layout and views', () => {
  it('has CDB$ROOT, PDB$SEED (READ ONLY) and the PDBs, names as given', async () => {
    assert.deepEqual(col(await sb.rows('select con_id, name, open_mode from v$containers order by con_id')),
      ['1 CDB$ROOT READ WRITE', '2 PDB$SEED READ ONLY', '3 PDB1 READ WRITE', '4 hr_app READ WRITE']);
    assert.deepEqual(col(await sb.rows('select con_id, name from v$pdbs order by con_id')), ['2 PDB$SEED', '3 PDB1', '4 hr_app']);
    assert.deepEqual(await sb.rows('select cdb, con_id from v$database'), [['YES', 0]]);
  });

  it('numbers files across the CDB, TS# per container, the same tablespace names in every PDB', async () => {
    const files = await sb.rows('select file#, con_id from v$datafile order by file#');
    assert.deepEqual(files.map((r) => r[0]), files.map((_, i) => i + 1));
    assert.deepEqual(col(await sb.rows("select con_id, ts# from v$tablespace where name = 'USERS' order by con_id")), ['1 4', '3 4', '4 4']);
    assert.deepEqual(col(await sb.rows("select con_id, ts# from v$tablespace where name = 'SYSTEM' order by con_id")), ['1 0', '2 0', '3 0', '4 0']);
    assert.deepEqual(col(await sb.rows('select con_id, count(*) from v$tempfile group by con_id order by con_id')), ['1 1', '2 1', '3 1', '4 1']);
  });

  it('lays files out per container as DBCA does, over several mounts', async () => {
    const rel = (await sb.rows('select con_id, name from v$datafile order by file#')).map(([k, n]) => `${k} ${path.relative(sb.root, String(n))}`);
    assert.ok(rel.includes('1 u02/oradata/DBPROD/system01.dbf'), rel.join('\n'));
    assert.ok(rel.includes('2 u02/oradata/DBPROD/pdbseed/system01.dbf'), rel.join('\n'));
    assert.ok(rel.includes('3 u04/oradata/DBPROD/pdb1/users01.dbf'), rel.join('\n'));
    assert.ok(rel.includes('4 u04/oradata/DBPROD/hr_app/users01.dbf'), rel.join('\n'));
    assert.ok(new Set(rel.map((r) => r.split('/')[0])).size >= 5, 'several /uNN mounts');
  });

  it('DBA_ views show the current container; CDB_ views every open container; V$ views all from the root', async () => {
    assert.deepEqual(await sb.rows('select count(*) from dba_data_files'), [[4]]);
    assert.deepEqual(col(await sb.rows('select con_id, count(*) from cdb_data_files group by con_id order by con_id')), ['1 4', '2 3', '3 5', '4 5']);
    assert.deepEqual(await sb.rows("select count(*) from v$datafile"), [[17]]);
    // inside a PDB: that PDB only, in every kind of view
    assert.deepEqual(await sb.rows('select count(*) from dba_data_files', 'hr_app'), [[5]]);
    assert.deepEqual(await sb.rows('select distinct con_id from cdb_data_files', 'hr_app'), [[4]]);
    assert.deepEqual(await sb.rows('select distinct con_id from v$datafile', 'hr_app'), [[4]]);
    assert.deepEqual(await sb.rows('select distinct con_id from v$tablespace', 'hr_app'), [[4]]);
    assert.deepEqual(await sb.rows('select con_id, name from v$pdbs', 'hr_app'), [[4, 'hr_app']]);
    assert.deepEqual(await sb.rows('select count(*) from v$log', 'hr_app'), [[3]], 'CDB-wide rows (CON_ID 0) stay visible');
    assert.deepEqual(col(await sb.rows("select tablespace_name from dba_tablespaces where tablespace_name like 'U%' order by 1", 'PDB1')), ['UNDOTBS1', 'USERS']);
  });

  it('SYS_CONTEXT and the container are per session: ALTER SESSION SET CONTAINER lasts for the sqlplus session only', async () => {
    const a = sb.sqlplus();
    const b = sb.sqlplus();
    assert.deepEqual(await a.rows("select sys_context('USERENV','CON_NAME') || ' ' || sys_context('USERENV','CON_ID') from dual"), ['CDB$ROOT 1']);
    await a.exec('alter session set container = "hr_app"');
    assert.deepEqual(await a.rows("select sys_context('USERENV','CON_NAME') || ' ' || sys_context('USERENV','CON_ID') from dual"), ['hr_app 4']);
    assert.deepEqual(await b.rows("select sys_context('USERENV','CON_NAME') from dual"), ['CDB$ROOT']);
    assert.deepEqual(await a.rows('select count(*) from dba_data_files'), ['         5']);
    assert.deepEqual((await a.run('show con_name', { cmd: true })).lines, ['hr_app']);
    assert.deepEqual(await a.error('alter session set container = hr_app'), ['ORA-65011: Pluggable database HR_APP does not exist.']);
    await a.exec('alter session set container = cdb$root');
    assert.deepEqual((await a.run('show con_id', { cmd: true })).lines, ['1']);
    await a.close();
    await b.close();
  });
});

describe('CDB backup mode', () => {
  it("ALTER TABLESPACE acts on the current container's tablespace only; a PDB's tablespace is unknown in the root", async () => {
    assert.deepEqual(await sb.sqlError('alter tablespace app_001 begin backup'), ["ORA-00959: tablespace 'APP_001' does not exist"]);
    await sb.sql('alter tablespace users begin backup', 'PDB1');
    assert.deepEqual(await active(), await filesOf(3, 'USERS'));
    await sb.sql('alter tablespace users begin backup');
    assert.deepEqual(await active(), [...(await filesOf(1, 'USERS')), ...(await filesOf(3, 'USERS'))].sort((x, y) => parseInt(x) - parseInt(y)));
    assert.deepEqual(await sb.sqlError('alter tablespace users begin backup', 'PDB1'), [
      `ORA-01146: cannot start online backup - file ${parseInt((await filesOf(3, 'USERS'))[0]!)} is already in backup`,
      `ORA-01110: data file ${parseInt((await filesOf(3, 'USERS'))[0]!)}: '${(await sb.rows("select file_name from dba_data_files where tablespace_name = 'USERS'", 'PDB1'))[0]![0]}'`,
    ]);
    assert.deepEqual(col(await sb.rows("select file#, con_id from v$backup where status = 'ACTIVE'", 'PDB1')), await filesOf(3, 'USERS'), 'V$BACKUP in a PDB: its files only');
    await sb.sql('alter tablespace users end backup');
    await sb.sql('alter tablespace users end backup', 'PDB1');
    assert.deepEqual(await active(), []);
  });

  it('ALTER PLUGGABLE DATABASE BEGIN BACKUP works inside the PDB only; ALTER DATABASE inside a PDB is the PDB', async () => {
    assert.deepEqual(await sb.sqlError('alter pluggable database pdb1 begin backup'), ['ORA-65046: operation not allowed from outside a pluggable database']);
    assert.deepEqual(await sb.sqlError('alter pluggable database pdb1 begin backup', 'hr_app'), ['ORA-65118: operation affecting a pluggable database cannot be performed from another pluggable database']);
    assert.deepEqual(await sb.sqlError('alter pluggable database nosuch begin backup', 'hr_app'), ['ORA-65011: Pluggable database NOSUCH does not exist.']);
    assert.equal((await sb.sql('alter pluggable database begin backup', 'PDB1')).message, 'Pluggable database altered.');
    assert.equal((await sb.sql('alter database begin backup', 'hr_app')).message, 'Database altered.');
    const pdbFiles = async (k: number) => col(await sb.rows(`select file#, con_id from v$datafile where con_id = ${k} order by file#`));
    assert.deepEqual(await active(), [...(await pdbFiles(3)), ...(await pdbFiles(4))]);
    await sb.sql('alter database end backup', 'hr_app');
    assert.deepEqual(await active(), await pdbFiles(3), 'END BACKUP in hr_app leaves PDB1 in backup mode');
    assert.deepEqual(await sb.sqlError('alter pluggable database pdb1 close'), [
      `ORA-01149: cannot shutdown - file ${(await pdbFiles(3))[0]!.split(' ')[0]} has online backup set`,
      `ORA-01110: data file ${(await pdbFiles(3))[0]!.split(' ')[0]}: '${(await sb.rows('select name from v$datafile where con_id = 3 order by file#'))[0]![0]}'`,
    ]);
    await sb.sql('alter pluggable database pdb1 end backup', 'PDB1');
    assert.deepEqual(await active(), []);
  });

  it('ALTER DATABASE BEGIN BACKUP in the root: every file of the root and the open PDBs (not PDB$SEED)', async () => {
    await sb.sql('alter database begin backup');
    assert.deepEqual(col(await sb.rows('select con_id, status, count(*) from v$backup group by con_id, status order by con_id')),
      ['1 ACTIVE 4', '2 NOT ACTIVE 3', '3 ACTIVE 5', '4 ACTIVE 5']);
    await sb.sql('alter database end backup');
    assert.deepEqual(await active(), []);
  });

  it('PDB$SEED cannot be put in backup mode or altered', async () => {
    assert.deepEqual(await sb.sqlError('alter tablespace system begin backup', 'PDB$SEED'), ['ORA-16000: database or pluggable database open for read-only access']);
    assert.deepEqual(await sb.sqlError('alter pluggable database begin backup', 'PDB$SEED'), ['ORA-65017: seed pluggable database may not be dropped or altered']);
    assert.deepEqual(await sb.sqlError('alter pluggable database pdb$seed close'), ['ORA-65017: seed pluggable database may not be dropped or altered']);
  });

  it('whole-CDB statements are refused inside a PDB', async () => {
    assert.deepEqual(await sb.sqlError('alter system archive log current', 'PDB1'), ['ORA-65040: operation not allowed from within a pluggable database']);
    assert.deepEqual(await sb.sqlError(`alter database create standby controlfile as '${sb.base}/x.ctl'`, 'PDB1'), ['ORA-65040: operation not allowed from within a pluggable database']);
  });
});

describe('CDB: PDB open and close, workload', () => {
  it('a MOUNTED PDB: V$ views list its files, DBA_/CDB_ views do not, statements need it open', async () => {
    await sb.sql('alter pluggable database "hr_app" close immediate');
    assert.deepEqual(await sb.rows("select open_mode, restricted from v$pdbs where con_id = 4"), [['MOUNTED', null]]);
    assert.deepEqual(await sb.sqlError('alter pluggable database "hr_app" close'), ['ORA-65020: pluggable database hr_app already closed']);
    assert.deepEqual(await sb.rows('select count(*) from v$datafile where con_id = 4'), [[5]]);
    assert.deepEqual(await sb.rows('select count(*) from cdb_data_files where con_id = 4'), [[0]]);
    assert.deepEqual(await sb.sqlError('select count(*) from dba_data_files', 'hr_app'), ['ORA-01219: database or pluggable database not open: queries allowed on fixed tables or views only']);
    assert.deepEqual(await sb.sqlError('alter tablespace users begin backup', 'hr_app'), ['ORA-01109: database not open']);
    await sb.sql('alter pluggable database all open');
    assert.deepEqual(await sb.sqlError('alter pluggable database pdb1 open'), ['ORA-65019: pluggable database PDB1 already open']);
    assert.deepEqual(await sb.rows('select open_mode from v$pdbs order by con_id'), [['READ ONLY'], ['READ WRITE'], ['READ WRITE']]);
  });

  it('SHUTDOWN inside a PDB closes that PDB; STARTUP opens it', async () => {
    const sp = sb.sqlplus();
    await sp.exec('alter session set container = PDB1');
    assert.deepEqual((await sp.run('shutdown immediate', { cmd: true })).lines, ['Pluggable Database closed.']);
    assert.deepEqual(await sb.rows('select open_mode from v$pdbs where con_id = 3'), [['MOUNTED']]);
    assert.deepEqual((await sp.run('startup', { cmd: true })).lines, ['Pluggable Database opened.']);
    assert.deepEqual(await sp.rows("select sys_context('USERENV','CON_NAME') from dual"), ['PDB1']);
    await sp.close();
  });

  it('the workload changes every open container and never PDB$SEED or a MOUNTED PDB', async () => {
    const byCon = new Map((await sb.rows('select file#, con_id from v$datafile')).map(([f, k]) => [Number(f), Number(k)]));
    const changedSince = (scn: number) => {
      const cons = new Set<number>();
      for (const t of readTruth(sb.dir)) if (t.scn > scn) cons.add(byCon.get(t.file)!);
      return [...cons].sort();
    };
    let [[scn]] = await sb.rows('select current_scn from v$database');
    await sb.admin({ cmd: 'workload', rate: 2000 });
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(changedSince(Number(scn)), [1, 3, 4]);
    await sb.sql('alter pluggable database pdb1 close');
    [[scn]] = await sb.rows('select current_scn from v$database');
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(changedSince(Number(scn)), [1, 4]);
    await sb.admin({ cmd: 'workload', stop: true });
    await sb.sql('alter pluggable database pdb1 open');
  });

  it('a PDB created at runtime gets new FILE#s and opens READ WRITE; SE2 allows 3 PDBs (ORA-65010)', async () => {
    const before = Number((await sb.rows('select max(file#) from v$datafile'))[0]![0]);
    const r = await sb.admin({ cmd: 'fault', fault: 'create-pdb', name: 'PDB3' });
    assert.deepEqual(r.files, [before + 1, before + 2, before + 3, before + 4]);
    assert.deepEqual(await sb.rows("select con_id, open_mode from v$pdbs where name = 'PDB3'"), [[5, 'READ WRITE']]);
    assert.deepEqual(col(await sb.rows('select tablespace_name from dba_tablespaces order by 1', 'PDB3')), ['SYSAUX', 'SYSTEM', 'TEMP', 'UNDOTBS1', 'USERS']);
    assert.match(String((await sb.rows("select file_name from dba_data_files where tablespace_name = 'USERS'", 'PDB3'))[0]![0]), /\/u04\/oradata\/DBPROD\/pdb3\/users01\.dbf$/);
    await assert.rejects(sb.admin({ cmd: 'fault', fault: 'create-pdb', name: 'PDB4' }), /^Error: ORA-65010: maximum number of pluggable databases created$/);
    await assert.rejects(sb.admin({ cmd: 'fault', fault: 'create-pdb', name: 'PDB1' }), /^Error: ORA-65012: Pluggable database PDB1 already exists\.$/);
  });

  it('sim create refuses more than 3 PDBs, bad names and PDB options without --cdb', () => {
    const run = (...a: string[]) => spawnSync(SIM, ['create', '--home', path.join(sb.base, 'x'), '--sid', 'X', '--root', path.join(sb.base, 'xr'), ...a], { encoding: 'utf8' });
    let r = run('--cdb', '--pdbs', '4');
    assert.deepEqual([r.status, r.stderr], [1, 'sim: a CDB needs 1 to 3 PDBs (Standard Edition 2 allows 3), got 4\n']);
    r = run('--cdb', '--pdb-names', 'A,a');
    assert.deepEqual([r.status, r.stderr], [1, "sim: duplicate PDB name 'a'\n"]);
    r = run('--cdb', '--pdb-names', 'PDB$SEED');
    assert.deepEqual([r.status, r.stderr], [1, "sim: invalid PDB name 'PDB$SEED': reserved\n"]);
    r = run('--pdbs', '2');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^sim: --pdbs and --pdb-names need --cdb\n/);
  });

  it('a non-CDB answers NO and refuses container statements', async () => {
    const nc = sandbox(['--size', '16']);
    try {
      assert.equal(nc.sim('start').code, 0);
      assert.deepEqual(await nc.rows('select cdb, con_id from v$database'), [['NO', 0]]);
      assert.deepEqual(await nc.rows('select count(*) from v$pdbs'), [[0]]);
      assert.deepEqual(await nc.rows('select distinct con_id from cdb_data_files'), [[0]]);
      assert.deepEqual(await nc.sqlError('alter session set container = pdb1'), ['ORA-65090: operation only allowed in a container database']);
      assert.deepEqual(await nc.sqlError('alter pluggable database all open'), ['ORA-65090: operation only allowed in a container database']);
      const sp = nc.sqlplus();
      assert.deepEqual((await sp.run('show con_name', { cmd: true })).lines, ['Non Consolidated']);
      await sp.close();
    } finally {
      nc.cleanup();
    }
  });
});
});

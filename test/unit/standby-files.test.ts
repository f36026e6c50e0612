// lib/standby/files.ts: the standby's datafiles by container, and statements run from each file's container.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PreconditionError } from '../../lib/errors.ts';
import { containerOf, inContainers, readStandbyFiles } from '../../lib/standby/files.ts';

const out = [
  'DF|1|1|/prod/u02/system01.dbf',
  'DF|5|2|/prod/u02/pdbseed/system01.dbf',
  'DF|9|3|/prod/u05/pdb1/system01.dbf',
  'DF|14|4|/prod/u06/hr_app/a|b.dbf',
  'PDB|2|PDB$SEED',
  'PDB|3|PDB1',
  'PDB|4|hr_app',
  '',
].join('\n');

test('reads DF and PDB lines (a | in a file name survives)', () => {
  const { files, pdbs } = readStandbyFiles(out);
  assert.deepEqual(files.map((f) => [f.file, f.conId, f.name]), [[1, 1, '/prod/u02/system01.dbf'], [5, 2, '/prod/u02/pdbseed/system01.dbf'], [9, 3, '/prod/u05/pdb1/system01.dbf'], [14, 4, '/prod/u06/hr_app/a|b.dbf']]);
  assert.deepEqual([...pdbs], [[2, 'PDB$SEED'], [3, 'PDB1'], [4, 'hr_app']]);
});

test('statements on the root first, then each PDB after ALTER SESSION SET CONTAINER (quoted); a non-CDB needs no switch', () => {
  const { files, pdbs } = readStandbyFiles(out);
  const items = [files[3]!, files[0]!, files[2]!, files[1]!].map((file) => ({ file, statement: `X ${file.file};` }));
  assert.deepEqual(inContainers(items, pdbs), ['X 1;', 'ALTER SESSION SET CONTAINER = "hr_app";', 'X 14;', 'ALTER SESSION SET CONTAINER = "PDB1";', 'X 9;', 'ALTER SESSION SET CONTAINER = "PDB$SEED";', 'X 5;']);
  const nonCdb = readStandbyFiles('DF|4|0|/prod/u04/users01.dbf\n');
  assert.deepEqual(inContainers([{ file: nonCdb.files[0]!, statement: 'X 4;' }], nonCdb.pdbs), ['X 4;']);
  assert.equal(containerOf(nonCdb.files[0]!, nonCdb.pdbs), undefined);
  assert.equal(containerOf(files[0]!, pdbs), 'CDB$ROOT');
});

test('a file of a container the standby controlfile does not list: what to do', () => {
  const { files, pdbs } = readStandbyFiles('DF|30|5|/u/UNNAMED00030\nPDB|3|PDB1\n');
  assert.throws(() => containerOf(files[0]!, pdbs), (e: unknown) => {
    assert.ok(e instanceof PreconditionError);
    assert.equal(e.message, 'datafile 30 (/u/UNNAMED00030) belongs to container CON_ID 5, which the standby controlfile does not list: a PDB created or plugged in on production after the standby controlfile was made');
    return true;
  });
});

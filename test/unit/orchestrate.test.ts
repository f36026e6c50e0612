// What orquestra_dr puts in a tmux window's command: the tool's environment is that of the
// database of its configuration, not whatever ORACLE_SID / ORACLE_HOME the DBA's shell had
// (the shell may last have been set for another database of the host).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windowCommand, windowEnv } from '../../lib/orchestrate.ts';
import { makeConfig } from './status-fixture.ts';
import { tempDir } from '../helpers/tempDir.ts';

test("a window's ORACLE_SID and ORACLE_HOME are its configuration's, whatever the shell had", () => {
  const dir = tempDir('orch-');
  const shell = { PATH: '/usr/bin:/bin', HOME: '/home/oracle', ORACLE_SID: 'DBPROD', ORACLE_HOME: '/u01/app/oracle/product/19c/prod', SECRET_TOKEN: 'x' };
  const hml = makeConfig(dir, { oracle: { sid: 'DBHML', home: '/u01/app/oracle/product/19c/hml' } });
  assert.deepEqual(windowCommand(windowEnv(hml, shell), ['node', 'copy_archivelog.ts']), [
    '/usr/bin/env', 'PATH=/usr/bin:/bin', 'HOME=/home/oracle', 'ORACLE_HOME=/u01/app/oracle/product/19c/hml', 'ORACLE_SID=DBHML', 'node', 'copy_archivelog.ts',
  ]);
  // without oracle.home the shell's ORACLE_HOME is kept (the tools then use it, as before)
  const noHome = makeConfig(dir, { oracle: { sid: 'DBHML' } });
  assert.deepEqual(windowCommand(windowEnv(noHome, shell), ['x']).slice(1, -1), ['PATH=/usr/bin:/bin', 'HOME=/home/oracle', 'ORACLE_HOME=/u01/app/oracle/product/19c/prod', 'ORACLE_SID=DBHML']);
});

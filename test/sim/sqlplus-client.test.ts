// The fake sqlplus run as a process against a test socket server (CONTRACT.md protocol,
// executeSql over an in-memory fixture). Outputs are compared exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startTestInstance, type TestInstance } from './sql/testing/server.ts';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sqlplus', 'main.ts');

class Client {
  out = '';
  readonly exited: Promise<number>;
  constructor(readonly p: ChildProcessWithoutNullStreams) {
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => { this.out += d; });
    p.stderr.on('data', (d) => { this.out += `[stderr]${d}`; });
    this.exited = new Promise((res) => p.on('close', (code) => res(code ?? -1)));
  }
  /** Waits until stdout contains text (stdin still open), then returns and clears what came so far. */
  async until(text: string, ms = 8000): Promise<string> {
    const start = Date.now();
    while (!this.out.includes(text)) {
      if (Date.now() - start > ms) throw new Error(`timeout waiting for ${JSON.stringify(text)}; got ${JSON.stringify(this.out)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const got = this.out;
    this.out = '';
    return got;
  }
  write(s: string): void { this.p.stdin.write(s); }
}

function sqlplus(args: string[], env: Record<string, string | undefined>): Client {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) e[k] = v;
  return new Client(spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: e }));
}

/** Runs a whole script; resolves with stdout and the exit code. */
async function run(inst: TestInstance | undefined, script: string, args = ['-s', '-L', '/ as sysdba'], env: Record<string, string | undefined> = {}): Promise<{ out: string; code: number }> {
  const c = sqlplus(args, { ORACLE_HOME: inst?.home, ORACLE_SID: inst?.sid, ...env });
  c.p.stdin.end(script);
  const code = await c.exited;
  return { out: c.out, code };
}

let inst: TestInstance;
before(async () => { inst = await startTestInstance(); });
after(async () => { await inst.stop(); inst.cleanup(); });

test('statements run as soon as they are complete on stdin (one long-lived session, PROMPT markers)', async () => {
  const c = sqlplus(['-s', '-L', '/', 'as', 'sysdba'], { ORACLE_HOME: inst.home, ORACLE_SID: inst.sid });
  c.write('set pagesize 0 feedback off heading off linesize 200 trimspool on\nselect name from v$tablespace\nwhere ts# = 2;\nprompt ==MARK1==\n');
  assert.equal(await c.until('==MARK1==\n'), 'USERS\n==MARK1==\n');
  c.write('alter tablespace users begin backup;\nprompt ==MARK2==\n');
  assert.equal(await c.until('==MARK2==\n'), '==MARK2==\n'); // FEEDBACK OFF hides 'Tablespace altered.'
  c.write("select file# || '|' || status from v$backup where status = 'ACTIVE' order by file#;\nprompt ==MARK3==\n");
  assert.equal(await c.until('==MARK3==\n'), '3|ACTIVE\n4|ACTIVE\n==MARK3==\n');
  c.write('set feedback on\nalter tablespace users end backup\n/\nprompt ==MARK4==\n');
  assert.equal(await c.until('==MARK4==\n'), '\nTablespace altered.\n\n==MARK4==\n');
  c.write('exit\n');
  assert.equal(await c.exited, 0);
});

test('default formatting: headings, NUMWIDTH and scientific notation, feedback, page breaks', async () => {
  const { out, code } = await run(inst, [
    'select file#, checkpoint_change#, name from v$datafile where file# <= 2;',
    'select sequence#, dest_id from v$archived_log where dest_id = 1 and sequence# > 10 order by sequence#;',
    'select * from dual where 1 = 0;',
    'set feedback 1',
    "select dummy, 0.5 half, 'It''s' q from dual;",
    'set pagesize 5 feedback off',
    'select ts# from v$tablespace order by ts#;',
  ].join('\n'));
  assert.equal(code, 0);
  assert.equal(out, [
    '',
    '     FILE# CHECKPOINT_CHANGE# NAME',
    '---------- ------------------ ----------------------------------',
    '         1         1.2346E+13 /r/u01/oradata/DBPROD/system01.dbf',
    '         2         1.2346E+13 /r/u02/oradata/DBPROD/sysaux01.dbf',
    '',
    '',
    ' SEQUENCE#    DEST_ID',
    '---------- ----------',
    ...[11, 12, 13, 14, 15, 16, 17].map((s) => `${String(s).padStart(10)}          1`),
    '',
    '7 rows selected.',
    '',
    '',
    'no rows selected',
    '',
    '',
    'DUMMY       HALF Q',
    '----- ---------- ----',
    'X             .5 It\'s',
    '',
    '1 row selected.',
    '',
    '',
    '       TS#',
    '----------',
    '         0',
    '         1',
    '',
    '       TS#',
    '----------',
    '         2',
    '         3',
    '',
    '       TS#',
    '----------',
    '         4',
    '',
    '',
  ].join('\n'));
});

test('CSV markup, PAGESIZE 0 and HEADING OFF give clean machine-readable lines', async () => {
  const { out } = await run(inst, [
    'set markup csv on',
    'select ts#, name, bigfile from v$tablespace where ts# in (2, 3) order by ts#;',
    'set pagesize 0 feedback off',
    "select name, null empty, 'say \"hi\"' q from v$tablespace where ts# = 3;",
    'set markup csv on delimiter | quote off',
    'select ts#, name from v$tablespace where ts# = 3;',
  ].join('\n'));
  assert.equal(out, [
    '',
    '"TS#","NAME","BIGFILE"',
    '2,"USERS","NO"',
    '3,"my data","NO"',
    '',
    '"my data",,"say ""hi"""',
    '3|my data',
    '',
  ].join('\n'));
  const m = await run(inst, 'set heading off\nselect current_scn, name from v$database;\n', ['-s', '-M', 'CSV ON', '/ as sysdba']);
  assert.equal(m.out, '\n12345678901234,"DBPROD"\n\n');
});

test('exact NUMBERs on display: NUMWIDTH, wide NUMWIDTH, CSV and TO_CHAR keep every digit SQL*Plus shows', async () => {
  const { out } = await run(inst, [
    "select next_change# scn, 18446744073709551615/2 half, 1/3 third from v$log where status = 'CURRENT';",
    'set numwidth 22',
    "select next_change# scn, 18446744073709551615/2 half, 1/3 third from v$log where status = 'CURRENT';",
    'set markup csv on',
    "select next_change#, 18446744073709551615/2, to_char(next_change#), 0.5 from v$log where status = 'CURRENT';",
  ].join('\n'));
  assert.equal(out, [
    '',
    '       SCN       HALF      THIRD',
    '---------- ---------- ----------',
    '1.8447E+19 9.2234E+18 .333333333',
    '',
    '',
    '                   SCN                   HALF                  THIRD',
    '---------------------- ---------------------- ----------------------',
    '  18446744073709551615  9223372036854775807.5 .333333333333333333333',
    '',
    '',
    '"NEXT_CHANGE#","18446744073709551615/2","TO_CHAR(NEXT_CHANGE#)","0.5"',
    '18446744073709551615,9223372036854775807.5,"18446744073709551615",.5',
    '',
    '',
  ].join('\n'));
});

test('SQL the simulator does not support fails with one SIM-00001 message that names it, and counts as an SQL error', async () => {
  const { out, code } = await run(inst, [
    "select q'[it's]' from dual;",
    "select regexp_substr(name, '[0-9]+')",
    '  from v$datafile;',
    'whenever sqlerror exit sql.sqlcode',
    "select listagg(name, ',' on overflow truncate) within group (order by name) from v$tablespace;",
    'prompt never printed',
  ].join('\n'));
  assert.equal(out, [
    '',
    "Q'[IT'S]'",
    '---------',
    "it's",
    '',
    "select regexp_substr(name, '[0-9]+')",
    '       *',
    'ERROR at line 1:',
    'SIM-00001: not supported by the simulator: REGEXP_SUBSTR',
    '',
    "select listagg(name, ',' on overflow truncate) within group (order by name) from v$tablespace",
    '                         *',
    'ERROR at line 1:',
    'SIM-00001: not supported by the simulator: LISTAGG ON OVERFLOW',
    '',
    '',
  ].join('\n'));
  assert.equal(code, 1);
});

test('errors: ERROR at line N with the offending line and *, SP2 messages, WHENEVER SQLERROR exit codes', async () => {
  const own = await startTestInstance('ERRS');
  after(async () => { await own.stop(); own.cleanup(); });
  const { out, code } = await run(own, [
    'select name',
    '  from v$nosuch;',
    'frob',
    'frobnicate all the things',
    'set nosuchoption on',
    'alter tablespace users begin backup;',
    'alter tablespace users begin backup;',
    'whenever sqlerror exit sql.sqlcode',
    'alter tablespace nothere begin backup;',
    'prompt never printed',
  ].join('\n'));
  assert.equal(out, [
    '  from v$nosuch',
    '       *',
    'ERROR at line 2:',
    'ORA-00942: table or view does not exist',
    '',
    'SP2-0042: unknown command "frob" - rest of line ignored.',
    'SP2-0734: unknown command beginning "frobnicate..." - rest of line ignored.',
    'SP2-0158: unknown SET option "nosuchoption"',
    '',
    'Tablespace altered.',
    '',
    'alter tablespace users begin backup',
    '*',
    'ERROR at line 1:',
    'ORA-01146: cannot start online backup - file 3 is already in backup',
    "ORA-01110: data file 3: '/r/u05/oradata/DBPROD/users01.dbf'",
    '',
    'alter tablespace nothere begin backup',
    '*',
    'ERROR at line 1:',
    "ORA-00959: tablespace 'NOTHERE' does not exist",
    '',
    '',
  ].join('\n'));
  assert.equal(code, 191);
  assert.equal((await run(inst, 'whenever sqlerror exit failure rollback\nselect x from dual;\n')).code, 1);
  assert.equal((await run(inst, 'whenever sqlerror exit 7\nfrob\nselect 1 from dual;\nexit 3\n')).code, 3);
  assert.equal((await run(inst, 'select x from dual;\n')).code, 0);
  assert.equal((await run(inst, 'exit failure\n')).code, 1);
});

test('idle instance: silent connect, ORA-01034 for every statement; non-silent says so; no ORACLE_SID', async () => {
  const idle = await startTestInstance('IDLE', { up: false });
  try {
    const r = await run(idle, 'select 1 from dual;\nwhenever sqlerror exit failure\nselect 2 from dual;\n');
    assert.equal(r.out, [
      'select 1 from dual', '*', 'ERROR at line 1:',
      'ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist', 'Linux-x86_64 Error: 2: No such file or directory', '',
      'select 2 from dual', '*', 'ERROR at line 1:',
      'ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist', 'Linux-x86_64 Error: 2: No such file or directory', '', '',
    ].join('\n'));
    assert.equal(r.code, 1);
    const loud = await run(idle, 'exit\n', ['-L', '/ as sysdba']);
    assert.match(loud.out, /\nConnected to an idle instance\.\n\nSQL> Disconnected\n$/);
    const nosid = await run(idle, 'select 1 from dual;\n', ['-s', '-L', '/ as sysdba'], { ORACLE_SID: undefined });
    assert.equal(nosid.out, 'ERROR:\nORA-12162: TNS:net service name is incorrectly specified\n\n\nSP2-0751: Unable to connect to Oracle.  Exiting SQL*Plus\n');
    assert.equal(nosid.code, 1);
  } finally {
    idle.cleanup();
  }
});

test('SHUTDOWN goes through the socket, after which the session talks to an idle instance', async () => {
  const own = await startTestInstance('DOWN');
  try {
    const r = await run(own, 'shutdown immediate\nselect 1 from dual;\n');
    assert.equal(r.out, 'Database closed.\nDatabase dismounted.\nORACLE instance shut down.\nselect 1 from dual\n*\nERROR at line 1:\nORA-01034: ORACLE not available\nORA-27101: shared memory realm does not exist\nLinux-x86_64 Error: 2: No such file or directory\n\n');
    assert.deepEqual(own.log, [{ op: 'shutdown', mode: 'immediate' }]);
  } finally {
    own.cleanup();
  }
});

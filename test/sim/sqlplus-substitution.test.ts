// The fake sqlplus's substitution variables (SET DEFINE, &name, &&name, VERIFY), site and user
// profiles (glogin.sql, login.sql) and the settings they typically hold (TIMING, FEEDBACK,
// SQLPROMPT, SQLCASE), against the test socket server. Outputs are compared exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestInstance, type TestInstance } from './sql/testing/server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(HERE, 'sqlplus', 'main.ts');
const TSX = path.join(HERE, '..', '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

function start(inst: TestInstance, args: string[], env: Record<string, string | undefined> = {}, cwd?: string) {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ORACLE_HOME: inst.home, ORACLE_SID: inst.sid, ORACLE_PATH: undefined, SQLPATH: undefined, ...env })) if (v !== undefined) e[k] = v;
  const p = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { env: e, cwd });
  let out = '';
  p.stdout.setEncoding('utf8');
  p.stdout.on('data', (d: string) => (out += d));
  p.stderr.on('data', (d) => (out += `[stderr]${d}`));
  const exited = new Promise<number>((res) => p.on('close', (code) => res(code ?? -1)));
  return { p, exited, out: () => out };
}

async function run(inst: TestInstance, script: string, args = ['-s', '-L', '/ as sysdba'], env: Record<string, string | undefined> = {}, cwd?: string) {
  const c = start(inst, args, env, cwd);
  c.p.stdin.end(script);
  const code = await c.exited;
  return { out: c.out(), code };
}

const QUIET = 'set pagesize 0 feedback off heading off';
let inst: TestInstance;
before(async () => {
  inst = await startTestInstance();
});
after(async () => {
  await inst.stop();
  inst.cleanup();
});

test('an undefined &name is asked for and the NEXT INPUT LINE is its value; VERIFY lists old and new', async () => {
  const { out } = await run(inst, [QUIET, "select '&greeting' from dual;", 'hello there', "select 'A&&b.c' from dual;", 'B', "select '&b' from dual;", 'prompt done'].join('\n'));
  assert.equal(
    out,
    [
      "Enter value for greeting: old   1: select '&greeting' from dual",
      "new   1: select 'hello there' from dual",
      'hello there',
      "Enter value for b: old   1: select 'A&&b.c' from dual",
      "new   1: select 'ABc' from dual",
      'ABc',
      "old   1: select '&b' from dual",
      "new   1: select 'B' from dual",
      'B',
      'done',
      '',
    ].join('\n'),
  );
});

test('a quoted name with & swallows the PROMPT marker that follows: no marker ever comes (the hang); SET DEFINE OFF sends it as written', async () => {
  const c = start(inst, ['-s', '-L', '/ as sysdba']);
  try {
    c.p.stdin.write('set feedback off\nalter tablespace "R&D" begin backup;\nprompt __MARK_1__\n');
    const until = async (re: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!re.test(c.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    await until(/does not exist\n\n$/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      c.out(),
      [
        'Enter value for D: old   1: alter tablespace "R&D" begin backup',
        'new   1: alter tablespace "Rprompt __MARK_1__" begin backup',
        'alter tablespace "Rprompt __MARK_1__" begin backup',
        '*',
        'ERROR at line 1:',
        "ORA-00959: tablespace 'Rprompt __MARK_1__' does not exist",
        '',
        '',
      ].join('\n'),
    );
    assert.ok(!c.out().includes('__MARK_1__\n__') && !/^__MARK_1__$/m.test(c.out()), 'the marker line was consumed as a value');
    c.p.stdin.write('set define off\nalter tablespace "R&D" begin backup;\nprompt __MARK_2__\n');
    await until(/__MARK_2__/);
    assert.match(c.out(), /ORA-00959: tablespace 'R&D' does not exist\n\n__MARK_2__\n$/);
  } finally {
    c.p.stdin.end();
    await c.exited;
  }
});

test('DEFINE, UNDEFINE, another define character, ESCAPE, a lone &, commands substituted without old/new lines', async () => {
  const { out } = await run(
    inst,
    [
      QUIET,
      'define ts = USERS',
      'define ts',
      "prompt [&ts] [a & b] [&]",
      'set verify off',
      "select '&ts.X' from dual;",
      'undefine ts',
      'define ts',
      'set define ^',
      "select '^ts & R&D' from dual;",
      'typed',
      'set define on',
      'set escape on',
      "select 'R\\&D' from dual;",
    ].join('\n'),
  );
  assert.equal(
    out,
    [
      'DEFINE TS              = "USERS" (CHAR)',
      '[USERS] [a & b] [&]',
      'USERSX',
      'SP2-0135: symbol ts is UNDEFINED',
      'Enter value for ts: typed & R&D',
      'R&D',
      '',
    ].join('\n'),
  );
});

test('glogin.sql (ORACLE_HOME/sqlplus/admin) and login.sql (ORACLE_PATH only) run at start: TIMING, FEEDBACK, SQLPROMPT, SQLCASE take effect', async () => {
  const admin = path.join(inst.home, 'sqlplus', 'admin');
  fs.mkdirSync(admin, { recursive: true });
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loginsql-'));
  const cwdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwd-'));
  try {
    fs.writeFileSync(
      path.join(admin, 'glogin.sql'),
      ['-- site profile', 'SET TIMING ON', 'SET FEEDBACK ON', 'SET SERVEROUTPUT ON', 'SET LINESIZE 80', `SET SQLPROMPT "_USER'@'_CONNECT_IDENTIFIER> "`, 'PROMPT from glogin'].join('\n'),
    );
    fs.writeFileSync(path.join(userDir, 'login.sql'), 'SET SQLCASE UPPER\nPROMPT from login.sql\n');
    fs.writeFileSync(path.join(cwdDir, 'login.sql'), 'PROMPT login.sql in the current directory must not run\n');
    const silent = await run(inst, "set pagesize 0 heading off\nselect name from v$tablespace where name = 'my data';\nselect name from v$tablespace where ts# = 2;\n", undefined, { ORACLE_PATH: userDir, SQLPATH: cwdDir }, cwdDir);
    const lines = silent.out.split('\n');
    assert.deepEqual(lines.slice(0, 2), ['from glogin', 'from login.sql']);
    assert.equal(lines[2], '', 'SQLCASE UPPER turned the literal into MY DATA: no rows; feedback on');
    assert.equal(lines[3], 'no rows selected');
    assert.equal(lines[4], '');
    assert.match(lines[5], /^Elapsed: 00:00:\d\d\.\d\d$/);
    assert.deepEqual(lines.slice(6, 10), ['USERS', '', '1 row selected.', '']);
    assert.match(lines[10], /^Elapsed: 00:00:\d\d\.\d\d$/);
    assert.doesNotMatch(silent.out, /current directory/);

    const loud = await run(inst, 'exit\n', ['-L', '/ as sysdba'], { ORACLE_PATH: undefined }, cwdDir);
    assert.match(loud.out, /from glogin\nSYS@DBPROD> Disconnected from /);
    assert.doesNotMatch(loud.out, /from login\.sql/);
  } finally {
    fs.rmSync(path.join(admin, 'glogin.sql'), { force: true });
    fs.rmSync(userDir, { recursive: true, force: true });
    fs.rmSync(cwdDir, { recursive: true, force: true });
  }
});

test('a session that is not connected answers SP2-0640 for SQL (after DISCONNECT, e.g. from a profile)', async () => {
  const { out } = await run(inst, 'disconnect\nselect 1 from dual;\nprompt after\n');
  assert.equal(out, 'SP2-0640: Not connected\nafter\n');
});

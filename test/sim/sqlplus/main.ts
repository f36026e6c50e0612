// Fake `sqlplus` for the simulated Oracle instance (see test/sim/CONTRACT.md).
// sqlplus [-s] [-L] [-M "CSV ON ..."] [logon] [@script]  — reads the script from stdin
// incrementally: every statement runs and its output is flushed before the next line is read.
// glogin.sql and login.sql run first (profiles.ts); a substitution prompt reads the next line.
import readline from 'node:readline';
import { readFileSync, existsSync } from 'node:fs';
import { applySet } from './settings.ts';
import { BANNER_DB, ExitRequest, Session } from './session.ts';
import { ScriptRunner } from './script.ts';
import { runProfiles } from './profiles.ts';
import { formatDate } from '../sql/datefmt.ts';

interface Args { silent: boolean; once: boolean; markup?: string; logon?: string; script?: string; version: boolean }

export function parseArgs(argv: string[]): Args {
  const a: Args = { silent: false, once: false, version: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const x = argv[i];
    if (!x.startsWith('-') || x === '-') break;
    const u = x.toUpperCase();
    if (u === '-S' || u === '-SILENT') a.silent = true;
    else if (u === '-L' || u === '-LOGON') a.once = true;
    else if (u === '-M' || u === '-MARKUP') a.markup = argv[++i];
    else if (u === '-V' || u === '-VERSION') a.version = true;
    else if (u === '-R' || u === '-RESTRICT') i++;
  }
  const rest = argv.slice(i);
  const atIdx = rest.findIndex((r) => r.startsWith('@'));
  const logonWords = atIdx >= 0 ? rest.slice(0, atIdx) : rest;
  if (logonWords.length) a.logon = logonWords.join(' ');
  if (atIdx >= 0) a.script = rest[atIdx].slice(1);
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) { process.stdout.write('\nSQL*Plus: Release 19.0.0.0.0 - Production\nVersion 19.3.0.0.0\n\n'); return 0; }
  const home = process.env.ORACLE_HOME || undefined;
  const sid = process.env.ORACLE_SID || undefined;
  const s = new Session(args.silent, home, sid);
  if (args.markup) for (const m of applySet(s.st, 'MARKUP ' + args.markup)) s.out(m + '\n');
  if (!args.silent) {
    s.out(`\nSQL*Plus: Release 19.0.0.0.0 - Production on ${formatDate(new Date(), 'Dy Mon DD HH24:MI:SS YYYY')}\nVersion 19.3.0.0.0\n\nCopyright (c) 1982, 2019, Oracle.  All rights reserved.\n\n`);
  }
  const nolog = args.logon?.trim().toUpperCase() === '/NOLOG';
  if (!nolog) {
    if (!home) { s.out('SP2-0750: You may need to set ORACLE_HOME to your Oracle software directory\n'); return 1; }
    if (!sid) {
      s.out('ERROR:\nORA-12162: TNS:net service name is incorrectly specified\n\n\n');
      s.out(args.once ? 'SP2-0751: Unable to connect to Oracle.  Exiting SQL*Plus\n' : 'SP2-0157: unable to CONNECT to ORACLE after 3 attempts, exiting SQL*Plus\n');
      return 1;
    }
    await s.connect();
    if (!args.silent) s.out(s.state === 'idle' ? 'Connected to an idle instance.\n\n' : `\nConnected to:\n${BANNER_DB}\n\n`);
  }
  const runner = new ScriptRunner(s);
  const prompt = () => { if (!args.silent) s.out(runner.prompt()); };
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  const input = rl[Symbol.asyncIterator]();
  s.readLine = async () => {
    const r = await input.next();
    return r.done ? undefined : r.value;
  };
  try {
    await runProfiles(runner);
    if (args.script) {
      let f = args.script;
      if (!/\.[^/]*$/.test(f)) f += '.sql';
      if (!existsSync(f)) s.out(`SP2-0310: unable to open file "${f}"\n`);
      else await runner.runScript(readFileSync(f, 'utf8').split(/\r?\n/));
    }
    prompt();
    for (let line = await s.readLine(); line !== undefined; line = await s.readLine()) {
      await runner.line(line);
      prompt();
    }
    runner.end();
  } catch (e) {
    if (e instanceof ExitRequest) {
      if (!args.silent) s.out(s.state === 'connected' ? `Disconnected from ${BANNER_DB}\n` : 'Disconnected\n');
      s.disconnect();
      return e.code;
    }
    throw e;
  }
  if (!args.silent) s.out(s.state === 'connected' ? `Disconnected from ${BANNER_DB}\n` : 'Disconnected\n');
  s.disconnect();
  return 0;
}

main().then((code) => process.exit(code), (e) => { process.stderr.write(`sqlplus (simulated): ${e?.stack ?? e}\n`); process.exit(1); });

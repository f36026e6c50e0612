// SQL*Plus commands (everything that is not SQL): SET, PROMPT, WHENEVER, EXIT, COLUMN,
// CONNECT, STARTUP, SHUTDOWN, SPOOL, SHOW, @script, DEFINE/UNDEFINE, CLEAR, and the silently
// accepted ones.
import { existsSync, readFileSync } from 'node:fs';
import { abbrev, applySet, words } from './settings.ts';
import { ExitRequest, type ExitAction, type Session, type WheneverAction } from './session.ts';
import { shutdown, startup } from './instance-ops.ts';
import { runProfiles } from './profiles.ts';
import { recover } from './recover.ts';

export interface CommandHost {
  session: Session;
  runScript(lines: string[]): Promise<void>;
  /** Re-runs the SQL buffer (`/` or RUN). */
  rerun(): Promise<void>;
}

const ACCEPTED = [['TTITLE', 3], ['BTITLE', 3], ['BREAK', 3], ['COMPUTE', 4], ['TIMING', 4], ['REPHEADER', 5], ['REPFOOTER', 5], ['PAUSE', 3]] as const;
const NOT_SIMULATED = [['HOST', 2], ['DESCRIBE', 4], ['EXECUTE', 4], ['VARIABLE', 3], ['PRINT', 3], ['ACCEPT', 3], ['ARCHIVE', 7], ['PASSWORD', 4], ['COPY', 4], ['SAVE', 3], ['GET', 3], ['EDIT', 2], ['INPUT', 1], ['APPEND', 1], ['CHANGE', 1], ['DEL', 3], ['STORE', 3], ['HELP', 4], ['ATTRIBUTE', 4]] as const;

export function unknownCommand(line: string): string {
  const t = line.trim();
  if (!/\s/.test(t)) return `SP2-0042: unknown command "${t}" - rest of line ignored.`;
  return `SP2-0734: unknown command beginning "${t.length > 10 ? t.slice(0, 10) + '...' : t}" - rest of line ignored.`;
}

function exitArg(w: string | undefined): ExitAction['code'] | undefined {
  const u = (w ?? 'SUCCESS').toUpperCase();
  if (u === 'SUCCESS' || u === 'FAILURE' || u === 'WARNING') return u;
  if (u === 'SQL.SQLCODE') return 'SQLCODE';
  if (/^-?\d+$/.test(u)) return Number(u);
  return undefined;
}

function whenever(s: Session, rest: string[]): string | undefined {
  const which = rest[0]?.toUpperCase();
  if (which !== 'SQLERROR' && which !== 'OSERROR') return 'SP2-0591: Unable to allocate dynamic space needed (1 bytes)';
  const act = rest[1]?.toUpperCase();
  let a: WheneverAction;
  if (act === 'CONTINUE') a = { kind: 'continue' };
  else if (act === 'EXIT') {
    const arg = rest[2] && /^(COMMIT|ROLLBACK)$/i.test(rest[2]) ? undefined : rest[2];
    const code = exitArg(arg);
    if (code === undefined) return `SP2-0032: Invalid WHENEVER ${which} option "${arg}"`;
    a = { kind: 'exit', code: arg === undefined ? (which === 'SQLERROR' ? 'FAILURE' : 'FAILURE') : code };
  } else return `SP2-0032: Invalid WHENEVER ${which} option "${rest[1] ?? ''}"`;
  if (which === 'SQLERROR') s.whenSql = a; else s.whenOs = a;
  return undefined;
}

function column(s: Session, rest: string): void {
  const w = words(rest);
  if (!w.length) return;
  const name = w[0].replace(/^"(.*)"$/, '$1').toUpperCase();
  const cf = s.columns.get(name) ?? {};
  for (let i = 1; i < w.length; i++) {
    const k = w[i].toUpperCase();
    if (abbrev(k, 'FORMAT', 3)) cf.format = w[++i]?.replace(/^["'](.*)["']$/, '$1');
    else if (abbrev(k, 'HEADING', 3)) cf.heading = w[++i]?.replace(/^["'](.*)["']$/, '$1');
    else if (abbrev(k, 'NOPRINT', 3)) cf.noprint = true;
    else if (abbrev(k, 'PRINT', 3)) cf.noprint = false;
    else if (abbrev(k, 'CLEAR', 2)) { s.columns.delete(name); return; }
    else if (/^(NEW_VALUE|NEW_V|OLD_VALUE|OLD_V|JUSTIFY|JUS|LIKE|ALIAS|ALI|NULL)$/i.test(k)) i++;
  }
  s.columns.set(name, cf);
}

/** DEFINE [name [= text]]: lists, shows or sets substitution variables. */
function define(s: Session, rest: string): void {
  const show = (k: string) => s.out(`DEFINE ${k.padEnd(15)} = "${s.vars.get(k)}" (CHAR)\n`);
  const t = rest.trim();
  if (!t) { for (const k of s.vars.keys()) show(k); return; }
  const m = /^([A-Za-z0-9_$#]+)\s*(=\s*([\s\S]*))?$/.exec(t);
  if (!m) { s.out(`SP2-0136: DEFINE requires an equal sign (=)\n`); return; }
  const key = m[1]!.toUpperCase();
  if (m[2] === undefined) {
    if (s.vars.has(key)) show(key); else s.out(`SP2-0135: symbol ${m[1]!.toLowerCase()} is UNDEFINED\n`);
    return;
  }
  const v = m[3]!.trim();
  s.vars.set(key, /^(['"]).*\1$/s.test(v) ? v.slice(1, -1) : v);
}

/** Runs one SQL*Plus command line (already joined across '-' continuations). */
export async function runCommand(h: CommandHost, line: string): Promise<void> {
  const s = h.session;
  const t = line.trim();
  const m = /^(@@?|[A-Za-z_]+)\s*([\s\S]*)$/.exec(t);
  if (!m) { s.out(unknownCommand(t) + '\n'); return; }
  const word = m[1].toUpperCase();
  const rest = m[2];
  const args = words(rest.replace(/;\s*$/, ''));
  if (word === 'PROMPT' || abbrev(word, 'PROMPT', 3)) { s.out(rest + '\n'); return; }
  if (abbrev(word, 'REMARK', 3)) return;
  if (word === 'SET') { for (const msg of applySet(s.st, rest)) s.out(msg + '\n'); return; }
  if (word === 'WHENEVER') { const e = whenever(s, args); if (e) s.out(e + '\n'); return; }
  if (word === 'EXIT' || word === 'QUIT') {
    const a = args[0] && !/^(COMMIT|ROLLBACK)$/i.test(args[0]) ? args[0] : undefined;
    const code = exitArg(a);
    if (code === undefined) { s.out(`SP2-0584: EXIT variable "${a}" was non-numeric\n`); return; }
    throw new ExitRequest(s.exitCode(code));
  }
  if (abbrev(word, 'COLUMN', 3)) { column(s, rest.replace(/;\s*$/, '')); return; }
  if (abbrev(word, 'DEFINE', 3)) { define(s, rest); return; }
  if (abbrev(word, 'UNDEFINE', 5)) { for (const v of args) s.vars.delete(v.toUpperCase()); return; }
  if (abbrev(word, 'CLEAR', 2)) {
    for (const a of args) {
      if (abbrev(a, 'COLUMNS', 3)) s.columns.clear();
      else if (abbrev(a, 'SQL', 3) || abbrev(a, 'BUFFER', 3)) s.lastSql = undefined;
      else if (![['BREAKS', 3], ['COMPUTES', 4], ['SCREEN', 3], ['TIMING', 4]].some(([n, min]) => abbrev(a, n as string, min as number))) { s.out(`SP2-0158: unknown CLEAR option "${a}"\n`); return; }
    }
    return;
  }
  if (abbrev(word, 'CONNECT', 4)) {
    if (!s.home || !s.sid) { s.out('ERROR:\nORA-12162: TNS:net service name is incorrectly specified\n\n'); return; }
    await s.connect();
    if (!s.silent) s.out(s.state === 'idle' ? 'Connected to an idle instance.\n' : 'Connected.\n');
    await runProfiles(h); // glogin.sql and login.sql run after every CONNECT (10g on)
    return;
  }
  if (abbrev(word, 'DISCONNECT', 4)) {
    s.disconnect();
    if (!s.silent) s.out('Disconnected from Oracle Database 19c Standard Edition 2 Release 19.0.0.0.0 - Production\nVersion 19.3.0.0.0\n');
    return;
  }
  if (word === 'STARTUP') return startup(s, args);
  if (abbrev(word, 'RECOVER', 3)) return recover(s, rest);
  if (abbrev(word, 'SHUTDOWN', 8) || word === 'SHUTDOWN') return shutdown(s, args);
  if (abbrev(word, 'SPOOL', 3)) {
    const f = args[0];
    if (!f || /^OFF$/i.test(f) || /^OUT$/i.test(f)) { s.spool = undefined; return; }
    const file = /\.[^/]*$/.test(f) ? f : f + '.lst';
    s.startSpool(file, /^APP(END)?$/i.test(args[1] ?? ''));
    return;
  }
  if (abbrev(word, 'SHOW', 3)) {
    const k = args[0]?.toUpperCase() ?? '';
    if (k === 'USER') s.out('USER is "SYS"\n');
    else if (abbrev(k, 'PARAMETERS', 4)) await showParameter(h, args[1]);
    else if (k === 'CON_NAME' || k === 'CON_ID' || k === 'PDBS') await showContainer(h, k);
    else s.out(`SP2-0735: unknown SHOW option beginning "${(args[0] ?? '').slice(0, 10)}..."\n`);
    return;
  }
  if (word === '@' || word === '@@' || abbrev(word, 'START', 3)) {
    let f = word.startsWith('@') ? args[0] : args[0];
    if (!f) { s.out('SP2-1506: START, @ or @@ command has no arguments\n'); return; }
    if (!/\.[^/]*$/.test(f)) f += '.sql';
    if (!existsSync(f)) { s.out(`SP2-0310: unable to open file "${f}"\n`); return; }
    await h.runScript(readFileSync(f, 'utf8').split(/\r?\n/));
    return;
  }
  if (abbrev(word, 'RUN', 1)) { await h.rerun(); return; }
  if (abbrev(word, 'LIST', 1)) {
    if (!s.lastSql) s.out('SP2-0223: No lines in SQL buffer.\n');
    else s.out(s.lastSql.split('\n').map((l, i) => `${String(i + 1).padStart(3)}${i === s.lastSql!.split('\n').length - 1 ? '*' : ' '} ${l}`).join('\n') + '\n');
    return;
  }
  if (ACCEPTED.some(([n, min]) => abbrev(word, n, min))) return;
  if (NOT_SIMULATED.some(([n, min]) => abbrev(word, n, min))) { s.out(unknownCommand(t) + '\n'); return; }
  s.out(unknownCommand(t) + '\n');
}

/** SHOW CON_NAME | CON_ID | PDBS: asked of the instance for this session (a non-CDB: 'Non Consolidated', 0, nothing). */
async function showContainer(h: CommandHost, what: 'CON_NAME' | 'CON_ID' | 'PDBS'): Promise<void> {
  const s = h.session;
  const text = what === 'PDBS'
    ? "select con_id, name con_name, open_mode \"OPEN MODE\", nvl(restricted, ' ') restricted from v$pdbs order by con_id"
    : what === 'CON_NAME'
      ? "select decode(cdb, 'YES', sys_context('USERENV', 'CON_NAME'), 'Non Consolidated') con_name from v$database"
      : "select decode(cdb, 'YES', sys_context('USERENV', 'CON_ID'), '0') con_id from v$database";
  const saved = { ...s.st };
  const savedCols = new Map(s.columns);
  s.columns.set('CON_NAME', { format: 'a30' });
  s.columns.set('CON_ID', { format: what === 'PDBS' ? '999999999' : 'a30' });
  s.columns.set('OPEN MODE', { format: 'a10' });
  s.columns.set('RESTRICTED', { format: 'a10' });
  s.st.feedback = 0;
  await s.runSql(text);
  s.st = saved;
  s.columns = savedCols;
}

async function showParameter(h: CommandHost, name: string | undefined): Promise<void> {
  const s = h.session;
  const like = (name ?? '').toLowerCase().replace(/'/g, "''");
  const text = `select name, decode(type,1,'boolean',2,'string',3,'integer',6,'big integer','string') type, value from v$parameter where name like '%${like}%' order by name`;
  const saved = { ...s.st };
  const savedCols = new Map(s.columns);
  s.columns.set('NAME', { format: 'a36' });
  s.columns.set('TYPE', { format: 'a11' });
  s.columns.set('VALUE', { format: 'a30' });
  s.st.feedback = 0;
  await s.runSql(text.replace("decode(type,1,'boolean',2,'string',3,'integer',6,'big integer','string')", "'string'"));
  s.st = saved;
  s.columns = savedCols;
}

// SQL*Plus system variables and the SET command.

export interface Settings {
  heading: boolean;
  feedback: number; // 0 = OFF
  pagesize: number;
  linesize: number;
  trimout: boolean;
  trimspool: boolean;
  echo: boolean;
  verify: boolean;
  tab: boolean;
  newpage: number | 'NONE';
  serveroutput: boolean;
  long: number;
  numwidth: number;
  numformat: string;
  termout: boolean;
  sqlblanklines: boolean;
  colsep: string;
  null: string;
  underline: string | false;
  wrap: boolean;
  csv: { on: boolean; delimiter: string; quote: boolean };
  /** Substitution prefix character, or false (SET DEFINE OFF / SET SCAN OFF). */
  define: string | false;
  /** Escape character for the define character, or false (SET ESCAPE). */
  escape: string | false;
  /** Character that ends a substitution variable name and is dropped (SET CONCAT). */
  concat: string | false;
  /** SET TIMING ON: `Elapsed: hh:mi:ss.cc` after each SQL statement. */
  timing: boolean;
  /** SET SQLPROMPT text (shown only when not silent). */
  sqlprompt: string;
  /** SET SQLCASE: SQL text converted just before it is sent, quoted literals included. */
  sqlcase: 'MIXED' | 'UPPER' | 'LOWER';
  /** SET AUTORECOVERY ON: RECOVER applies the suggested logs without prompting */
  autorecovery: boolean;
}

export function defaultSettings(): Settings {
  return {
    heading: true, feedback: 6, pagesize: 14, linesize: 80, trimout: true, trimspool: false, echo: false, verify: true,
    tab: true, newpage: 1, serveroutput: false, long: 80, numwidth: 10, numformat: '', termout: true, sqlblanklines: false,
    colsep: ' ', null: '', underline: '-', wrap: true, csv: { on: false, delimiter: ',', quote: true },
    define: '&', escape: false, concat: '.', timing: false, sqlprompt: 'SQL> ', sqlcase: 'MIXED', autorecovery: false,
  };
}

/** abbrev('FEED', 'FEEDBACK', 4): does the word abbreviate the name (at least min letters)? */
export function abbrev(word: string, name: string, min: number): boolean {
  const w = word.toUpperCase();
  return w.length >= min && w.length <= name.length && name.startsWith(w);
}

type Opt = { name: string; min: number; kind: 'bool' | 'num' | 'any' | 'ignore'; key?: keyof Settings };
const OPTS: Opt[] = [
  { name: 'HEADING', min: 3, kind: 'bool', key: 'heading' },
  { name: 'PAGESIZE', min: 5, kind: 'num', key: 'pagesize' },
  { name: 'LINESIZE', min: 3, kind: 'num', key: 'linesize' },
  { name: 'TRIMOUT', min: 5, kind: 'bool', key: 'trimout' },
  { name: 'TRIMSPOOL', min: 5, kind: 'bool', key: 'trimspool' },
  { name: 'ECHO', min: 4, kind: 'bool', key: 'echo' },
  { name: 'VERIFY', min: 3, kind: 'bool', key: 'verify' },
  { name: 'TAB', min: 3, kind: 'bool', key: 'tab' },
  { name: 'LONG', min: 4, kind: 'num', key: 'long' },
  { name: 'NUMWIDTH', min: 4, kind: 'num', key: 'numwidth' },
  { name: 'TERMOUT', min: 4, kind: 'bool', key: 'termout' },
  { name: 'SQLBLANKLINES', min: 5, kind: 'bool', key: 'sqlblanklines' },
  { name: 'WRAP', min: 3, kind: 'bool', key: 'wrap' },
  { name: 'AUTORECOVERY', min: 9, kind: 'bool', key: 'autorecovery' },
  { name: 'COLSEP', min: 4, kind: 'any' },
  { name: 'NULL', min: 4, kind: 'any' },
  { name: 'NUMFORMAT', min: 4, kind: 'any' },
  { name: 'UNDERLINE', min: 3, kind: 'any' },
  { name: 'DEFINE', min: 3, kind: 'any' },
  { name: 'SCAN', min: 4, kind: 'any' },
  { name: 'ESCAPE', min: 3, kind: 'any' },
  { name: 'CONCAT', min: 3, kind: 'any' },
  { name: 'TIMING', min: 4, kind: 'any' },
  { name: 'SQLPROMPT', min: 4, kind: 'any' },
  { name: 'SQLCASE', min: 4, kind: 'any' },
  ...['ARRAYSIZE:5', 'AUTOCOMMIT:4', 'AUTOTRACE:5', 'APPINFO:3',
    'EMBEDDED:3', 'FLUSH:3', 'HEADSEP:5', 'LONGCHUNKSIZE:5', 'RECSEP:4', 'RECSEPCHAR:7', 'SHOWMODE:4',
    'SQLTERMINATOR:4', 'TIME:2', 'SPACE:3', 'SUFFIX:3', 'WRAP:3', 'DESCRIBE:4', 'EXITCOMMIT:5',
    'ERRORLOGGING:8', 'LOBOFFSET:4', 'PAUSE:3', 'SQLCONTINUE:5', 'SQLNUMBER:4', 'SQLPREFIX:6', 'STATEMENTCACHE:3',
    'COPYCOMMIT:5', 'COPYTYPECHECK:5', 'CMDSEP:4', 'BLOCKTERMINATOR:3', 'FLAGGER:4', 'INSTANCE:4', 'SECUREDCOL:7',
    'SHIFTINOUT:5', 'XQUERY:6', 'ROWPREFETCH:4', 'LOBPREFETCH:4', 'HISTORY:4', 'FEEDBACK:4', 'NEWPAGE:4', 'SERVEROUTPUT:9',
    'MARKUP:4', 'ERRORDETAILS:6'].map((s) => { const [n, m] = s.split(':'); return { name: n, min: Number(m), kind: 'ignore' as const }; }),
];

const unquote = (s: string) => (/^(['"]).*\1$/s.test(s) ? s.slice(1, -1) : s);

/** Splits SET arguments into words, keeping quoted strings together. */
export function words(s: string): string[] {
  return s.match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
}

/** Applies `SET ...` (the text after SET); returns SP2 messages to print. */
export function applySet(st: Settings, args: string): string[] {
  const w = words(args.replace(/;\s*$/, ''));
  if (!w.length) return ['SP2-0265: set must be set to ON or OFF'];
  const msgs: string[] = [];
  let i = 0;
  const onOff = (name: string, v: string | undefined): boolean | undefined => {
    const u = v?.toUpperCase();
    if (u === 'ON') return true;
    if (u === 'OFF') return false;
    msgs.push(`SP2-0265: ${name.toLowerCase()} must be set to ON or OFF`);
    return undefined;
  };
  while (i < w.length) {
    const word = w[i++];
    const opt = OPTS.find((o) => abbrev(word, o.name, o.min));
    if (!opt) { msgs.push(`SP2-0158: unknown SET option "${word}"`); break; }
    const v = w[i++];
    if (opt.name === 'FEEDBACK') {
      const u = v?.toUpperCase();
      if (u === 'ON') st.feedback = 1; else if (u === 'OFF') st.feedback = 0;
      else if (v !== undefined && /^\d+$/.test(v)) st.feedback = Number(v);
      else { msgs.push('SP2-0268: feedback option not a valid number'); break; }
    } else if (opt.name === 'NEWPAGE') {
      if (v?.toUpperCase() === 'NONE') st.newpage = 'NONE';
      else if (v !== undefined && /^\d+$/.test(v)) st.newpage = Number(v);
      else { msgs.push('SP2-0268: newpage option not a valid number'); break; }
    } else if (opt.name === 'SERVEROUTPUT') {
      const b = onOff('serveroutput', v);
      if (b === undefined) break;
      st.serveroutput = b;
      while (i < w.length && /^(SIZE|FORMAT|FOR|FORMATTED|WORD_WRAPPED|WRAPPED|TRUNCATED|UNLIMITED|\d+)$/i.test(w[i])) i++;
    } else if (opt.name === 'MARKUP') {
      const u = v?.toUpperCase();
      if (u !== 'CSV' && u !== 'HTML') { msgs.push(`SP2-0158: unknown SET option "${v ?? ''}"`); break; }
      const on = onOff('markup', w[i++]);
      if (on === undefined) break;
      if (u === 'HTML') { if (on) msgs.push('SP2-0158: unknown SET option "HTML"'); continue; }
      st.csv.on = on;
      for (;;) {
        const x = w[i]?.toUpperCase();
        if (x && abbrev(x, 'DELIMITER', 5)) { st.csv.delimiter = unquote(w[i + 1] ?? ',').slice(0, 1) || ','; i += 2; }
        else if (x === 'QUOTE') { const q = onOff('quote', w[i + 1]); if (q !== undefined) st.csv.quote = q; i += 2; }
        else break;
      }
    } else if (opt.kind === 'bool') {
      const b = onOff(opt.name, v);
      if (b === undefined) break;
      (st as unknown as Record<string, unknown>)[opt.key!] = b;
    } else if (opt.kind === 'num') {
      if (v === undefined || !/^\d+$/.test(v)) { msgs.push(`SP2-0268: ${opt.name.toLowerCase()} option not a valid number`); break; }
      (st as unknown as Record<string, unknown>)[opt.key!] = Number(v);
    } else if (opt.name === 'COLSEP') st.colsep = unquote(v ?? ' ');
    else if (opt.name === 'NULL') st.null = unquote(v ?? '');
    else if (opt.name === 'NUMFORMAT') st.numformat = unquote(v ?? '');
    else if (opt.name === 'UNDERLINE') { const u = v?.toUpperCase(); st.underline = u === 'OFF' ? false : u === 'ON' ? '-' : unquote(v ?? '-').slice(0, 1); }
    else if (opt.name === 'DEFINE' || opt.name === 'ESCAPE' || opt.name === 'CONCAT') {
      const key = opt.name.toLowerCase() as 'define' | 'escape' | 'concat';
      const u = v?.toUpperCase();
      if (v === undefined) { msgs.push(`SP2-0265: ${key} must be set to ON or OFF`); break; }
      const dflt = { define: '&', escape: '\\', concat: '.' }[key];
      const c = unquote(v);
      if (u === 'ON') st[key] = dflt;
      else if (u === 'OFF') st[key] = false;
      else if (c.length === 1 && !/[A-Za-z0-9\s]/.test(c)) st[key] = c;
      else { msgs.push(`SP2-0272: ${key} character cannot be alphanumeric or white-space`); break; }
    } else if (opt.name === 'SCAN') {
      const b = onOff('scan', v);
      if (b === undefined) break;
      st.define = b ? '&' : false;
    } else if (opt.name === 'TIMING') {
      const b = onOff('timing', v);
      if (b === undefined) break;
      st.timing = b;
    } else if (opt.name === 'SQLPROMPT') {
      if (v === undefined) { msgs.push('SP2-0267: sqlprompt option  out of range (0 through 50)'); break; }
      st.sqlprompt = unquote(v);
    } else if (opt.name === 'SQLCASE') {
      const u = v?.toUpperCase();
      if (u === 'MIXED' || u === 'UPPER' || u === 'LOWER') st.sqlcase = u;
      else { msgs.push(`SP2-0158: unknown SET option "${v ?? ''}"`); break; }
    }
    else if (v === undefined) { msgs.push(`SP2-0265: ${opt.name.toLowerCase()} must be set to ON or OFF`); break; }
    else if (opt.name === 'AUTOTRACE') { while (i < w.length && /^(ON|OFF|TRACE|TRACEONLY|EXP|EXPLAIN|STAT|STATISTICS)$/i.test(w[i])) i++; }
  }
  return msgs;
}

// Substitution variables, as SQL*Plus 19c does them (User's Guide, "Using Substitution
// Variables"; SET DEFINE / ESCAPE / CONCAT / VERIFY): with DEFINE on, `&name` in a SQL
// statement or a SQL*Plus command is replaced by the variable's value; an undefined one is
// asked for ("Enter value for name: ") and the answer is the *next line of input*, whatever it
// is. `&&name` also defines the variable. The name is letters, digits, _ $ #; the CONCAT
// character (default '.') right after it ends it and is dropped. A define character followed by
// anything else stays as it is. The ESCAPE character before it makes it literal. Names are
// case-insensitive; the prompt shows the name as written.
import type { Settings } from './settings.ts';

export interface SubstitutionHost {
  st: Settings;
  /** Defined variables, keyed by upper-case name. */
  vars: Map<string, string>;
  out(s: string): void;
  /** The next input line (stdin), undefined at end of input. */
  readLine(): Promise<string | undefined>;
}

const NAME = /^[A-Za-z0-9_$#]+/;

/** Substitutes one line; resolves with the new text. */
export async function substituteLine(h: SubstitutionHost, line: string): Promise<string> {
  const def = h.st.define;
  if (def === false || !line.includes(def)) return line;
  const esc = h.st.escape;
  let out = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (esc !== false && ch === esc && line[i + 1] === def) {
      out += def;
      i += 2;
      continue;
    }
    if (ch !== def) {
      out += ch;
      i++;
      continue;
    }
    const double = line[i + 1] === def;
    const start = i + (double ? 2 : 1);
    const name = NAME.exec(line.slice(start))?.[0];
    if (!name) {
      out += line.slice(i, start);
      i = start;
      continue;
    }
    let end = start + name.length;
    if (h.st.concat !== false && line[end] === h.st.concat) end++;
    const key = name.toUpperCase();
    let value = h.vars.get(key);
    if (value === undefined) {
      h.out(`Enter value for ${name}: `);
      value = (await h.readLine()) ?? '';
      if (double) h.vars.set(key, value);
    }
    out += value;
    i = end;
  }
  return out;
}

/**
 * Substitutes every line of a SQL statement; with VERIFY ON each changed line is listed before
 * and after (`old   1: ...` / `new   1: ...`), as for SQL and PL/SQL only (never for commands).
 */
export async function substituteStatement(h: SubstitutionHost, lines: string[]): Promise<string[]> {
  const result: string[] = [];
  for (let n = 0; n < lines.length; n++) {
    const before = lines[n]!;
    const after = await substituteLine(h, before);
    if (after !== before && h.st.verify) {
      const no = String(n + 1).padStart(4);
      h.out(`old${no}: ${before}\nnew${no}: ${after}\n`);
    }
    result.push(after);
  }
  return result;
}

/** The predefined variables SQL*Plus sets at connect time (DEFINE lists them). */
export function predefinedVariables(sid: string | undefined, connected: boolean, now = new Date()): [string, string][] {
  const mon = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][now.getMonth()]!;
  return [
    ['_DATE', `${String(now.getDate()).padStart(2, '0')}-${mon}-${String(now.getFullYear() % 100).padStart(2, '0')}`],
    ['_CONNECT_IDENTIFIER', connected ? (sid ?? '') : ''],
    ['_USER', connected ? 'SYS' : ''],
    ['_PRIVILEGE', connected ? 'AS SYSDBA' : ''],
    ['_SQLPLUS_RELEASE', '1903000000'],
    ['_EDITOR', 'ed'],
    ['_O_VERSION', connected ? 'Oracle Database 19c Standard Edition 2 Release 19.0.0.0.0 - Production\nVersion 19.3.0.0.0' : ''],
    ['_O_RELEASE', connected ? '1903000000' : ''],
  ];
}

/**
 * SQLPROMPT text: predefined variables (_USER, _CONNECT_IDENTIFIER, ...) are replaced where they
 * appear as words; text in single quotes is literal (`_USER'@'_CONNECT_IDENTIFIER> `).
 */
export function expandPrompt(prompt: string, vars: Map<string, string>): string {
  let out = '';
  const re = /'([^']*)'|([A-Za-z_][A-Za-z0-9_$#]*)|([\s\S])/g;
  for (let m = re.exec(prompt); m; m = re.exec(prompt)) {
    if (m[1] !== undefined) out += m[1];
    else if (m[2] !== undefined) out += m[2].startsWith('_') && vars.has(m[2].toUpperCase()) ? vars.get(m[2].toUpperCase())! : m[2];
    else out += m[3];
  }
  return out;
}

// SQL tokenizer: Oracle lexical rules (unquoted identifiers upper-cased, "quoted" kept,
// '' escapes inside string literals, q'[...]' alternative quoting, -- and /* */ comments).
import { SqlError } from './errors.ts';

export type TokKind = 'ident' | 'qident' | 'string' | 'number' | 'op' | 'eof';
export interface Token {
  kind: TokKind;
  /** ident: upper-cased; qident: as written; string: unescaped; number: text; op: the symbol */
  value: string;
  /** offset of the token in the statement text */
  pos: number;
  /** offset just after the token */
  end: number;
}

/** q'<open>...<close>': brackets pair up, any other character closes itself. */
const QUOTE_PAIRS: Record<string, string> = { '[': ']', '{': '}', '(': ')', '<': '>' };
const OPS2 = ['||', '<=', '>=', '<>', '!=', '^=', '=>'];
const OPS1 = '(),.*+-/=<>;:@';
const identStart = (c: string) => /[A-Za-z\u00C0-\uFFFF]/.test(c);
const identPart = (c: string) => /[A-Za-z0-9_$#\u00C0-\uFFFF]/.test(c);

export function tokenize(text: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const start = i;
    const q = /^[nN]?[qQ]'/.exec(text.slice(i, i + 3));
    if (q) {
      i += q[0].length;
      const open = text[i];
      if (open === undefined || /\s/.test(open)) throw new SqlError('ORA-01756: quoted string not properly terminated', start);
      const close = QUOTE_PAIRS[open] ?? open;
      const e = text.indexOf(close + "'", i + 1);
      if (e < 0) throw new SqlError('ORA-01756: quoted string not properly terminated', start);
      toks.push({ kind: 'string', value: text.slice(i + 1, e), pos: start, end: e + 2 });
      i = e + 2;
      continue;
    }
    if (c === "'" || ((c === 'n' || c === 'N') && text[i + 1] === "'")) {
      if (c !== "'") i++;
      i++;
      let s = '';
      for (;;) {
        if (i >= n) throw new SqlError('ORA-01756: quoted string not properly terminated', start);
        if (text[i] === "'") {
          if (text[i + 1] === "'") { s += "'"; i += 2; continue; }
          i++;
          break;
        }
        s += text[i++];
      }
      toks.push({ kind: 'string', value: s, pos: start, end: i });
      continue;
    }
    if (c === '"') {
      i++;
      let s = '';
      for (;;) {
        if (i >= n) throw new SqlError('ORA-01740: missing double quote in identifier', start);
        if (text[i] === '"') {
          if (text[i + 1] === '"') { s += '"'; i += 2; continue; }
          i++;
          break;
        }
        s += text[i++];
      }
      if (s === '') throw new SqlError('ORA-01741: illegal zero-length identifier', start);
      toks.push({ kind: 'qident', value: s, pos: start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[0-9]/.test(text[i])) i++;
      if (text[i] === '.' && text[i + 1] !== '.') {
        i++;
        while (i < n && /[0-9]/.test(text[i])) i++;
      }
      if ((text[i] === 'e' || text[i] === 'E') && /[-+0-9]/.test(text[i + 1] ?? '')) {
        let j = i + 1;
        if (text[j] === '+' || text[j] === '-') j++;
        if (/[0-9]/.test(text[j] ?? '')) {
          i = j;
          while (i < n && /[0-9]/.test(text[i])) i++;
        }
      }
      toks.push({ kind: 'number', value: text.slice(start, i), pos: start, end: i });
      continue;
    }
    if (identStart(c)) {
      while (i < n && identPart(text[i])) i++;
      toks.push({ kind: 'ident', value: text.slice(start, i).toUpperCase(), pos: start, end: i });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (OPS2.includes(two)) {
      toks.push({ kind: 'op', value: two === '^=' ? '!=' : two, pos: start, end: i + 2 });
      i += 2;
      continue;
    }
    if (OPS1.includes(c)) {
      if (c === ';') throw new SqlError('ORA-00911: invalid character', start);
      toks.push({ kind: 'op', value: c, pos: start, end: i + 1 });
      i++;
      continue;
    }
    throw new SqlError('ORA-00911: invalid character', start);
  }
  toks.push({ kind: 'eof', value: '', pos: n, end: n });
  return toks;
}

// Calls and literals with their own syntax: CAST(x AS type), TRIM([LEADING|TRAILING|BOTH] c FROM s),
// LISTAGG(...) WITHIN GROUP (ORDER BY ...), INTERVAL 'n' unit [TO unit].
import type { CastType, Expr, OrderItem } from './ast.ts';
import type { Cursor } from './cursor.ts';
import { SqlError, unsupported } from './errors.ts';
import type { ExprParser } from './expr-parser.ts';
import { INTERVAL_UNITS, intervalLiteral as intervalValue, yearMonthInterval, type IntervalUnit } from './interval.ts';

/** Valid Oracle types CAST cannot produce here (SIM-00001); any other unknown name is ORA-00902. */
const UNSUPPORTED_TYPES = new Set(['TIMESTAMP', 'INTERVAL', 'BINARY_FLOAT', 'BINARY_DOUBLE', 'CLOB', 'NCLOB', 'BLOB', 'RAW', 'ROWID', 'UROWID',
  'LONG', 'XMLTYPE', 'BFILE', 'NUMTODSINTERVAL', 'REAL', 'DOUBLE']);
const MAX_PRECISION = 38;

/** An integer in parentheses' position, or ORA-02017 (as Oracle reports a bad length). */
function integer(c: Cursor): number {
  const t = c.peek;
  if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw new SqlError('ORA-02017: integer value required', t.pos);
  c.next();
  return Number(t.value);
}

function castType(c: Cursor): CastType {
  const t = c.peek;
  if (t.kind !== 'ident') throw new SqlError('ORA-00902: invalid datatype', t.pos);
  c.next();
  switch (t.value) {
    case 'NUMBER': case 'NUMERIC': case 'DECIMAL': case 'DEC': case 'FLOAT': {
      if (!c.acceptOp('(')) return { name: 'NUMBER' };
      const star = c.acceptOp('*');
      const precision = star ? MAX_PRECISION : integer(c);
      if (precision < 1 || precision > MAX_PRECISION) throw new SqlError('ORA-01727: numeric precision specifier is out of range (1 to 38)', t.pos);
      let scale = t.value === 'FLOAT' ? undefined : 0;
      if (t.value !== 'FLOAT' && c.acceptOp(',')) {
        const neg = c.acceptOp('-');
        scale = integer(c) * (neg ? -1 : 1);
        if (scale < -84 || scale > 127) throw new SqlError('ORA-01728: numeric scale specifier is out of range (-84 to 127)', t.pos);
      } else if (t.value === 'NUMBER' && star) scale = undefined;
      c.expectOp(')');
      return t.value === 'FLOAT' ? { name: 'NUMBER' } : { name: 'NUMBER', precision, scale };
    }
    case 'INTEGER': case 'INT': case 'SMALLINT':
      return { name: 'NUMBER', precision: MAX_PRECISION, scale: 0 };
    case 'VARCHAR2': case 'VARCHAR': case 'NVARCHAR2': case 'CHAR': case 'NCHAR': case 'CHARACTER': {
      const isChar = t.value === 'CHAR' || t.value === 'NCHAR' || t.value === 'CHARACTER';
      if (!c.acceptOp('(')) {
        if (isChar) return { name: 'CHAR', length: 1 };
        throw new SqlError('ORA-00906: missing left parenthesis', c.peek.pos);
      }
      const length = integer(c);
      if (length < 1) throw new SqlError('ORA-01401: inserted value too large for column', t.pos);
      c.acceptKw('BYTE') || c.acceptKw('CHAR');
      c.expectOp(')');
      return { name: isChar ? 'CHAR' : 'VARCHAR2', length };
    }
    case 'DATE':
      return { name: 'DATE' };
    default:
      if (UNSUPPORTED_TYPES.has(t.value)) throw unsupported(`CAST AS ${t.value}`, t.pos);
      throw new SqlError('ORA-00902: invalid datatype', t.pos);
  }
}

/** CAST(expr AS type) after 'CAST('. */
export function castCall(p: ExprParser, pos: number): Expr {
  const c = p.c;
  if (c.isKw('MULTISET')) throw unsupported('CAST(MULTISET ...)', c.peek.pos);
  const e = p.expr();
  c.expectKw('AS', 'ORA-00905: missing keyword');
  const to = castType(c);
  c.expectOp(')');
  return { t: 'cast', e, to, pos, end: c.lastEnd };
}

/** TRIM([LEADING|TRAILING|BOTH] [chars] FROM s) or TRIM(s), after 'TRIM('. */
export function trimCall(p: ExprParser, pos: number): Expr {
  const c = p.c;
  let mode = 'BOTH';
  if (c.isKw('LEADING') || c.isKw('TRAILING') || c.isKw('BOTH')) mode = c.next().value;
  let chars: Expr | undefined;
  let s: Expr;
  if (c.acceptKw('FROM')) s = p.expr();
  else {
    const first = p.expr();
    if (c.acceptKw('FROM')) { chars = first; s = p.expr(); } else s = first;
  }
  c.expectOp(')');
  const name = mode === 'LEADING' ? 'LTRIM' : mode === 'TRAILING' ? 'RTRIM' : 'TRIM';
  const sp: Expr = { t: 'str', v: ' ', pos, end: pos };
  return { t: 'func', name, args: [s, chars ?? sp], distinct: false, star: false, pos, end: c.lastEnd };
}

/** WITHIN GROUP (ORDER BY ...) after LISTAGG(...). */
export function withinGroup(p: ExprParser): OrderItem[] {
  const c = p.c;
  c.expectKw('WITHIN', 'ORA-02000: missing WITHIN keyword');
  c.expectKw('GROUP', 'ORA-02000: missing GROUP keyword');
  c.expectOp('(', 'ORA-00906: missing left parenthesis');
  c.expectKw('ORDER', 'ORA-02000: missing ORDER keyword');
  c.expectKw('BY', 'ORA-00924: missing BY keyword');
  const items = p.orderItems();
  c.expectOp(')');
  return items;
}

function unit(c: Cursor): IntervalUnit {
  const t = c.peek;
  if (t.kind === 'ident' && (t.value === 'YEAR' || t.value === 'MONTH')) throw yearMonthInterval(t.pos);
  if (t.kind !== 'ident' || !(INTERVAL_UNITS as readonly string[]).includes(t.value)) throw new SqlError('ORA-00905: missing keyword', t.pos);
  c.next();
  return t.value as IntervalUnit;
}

/** INTERVAL 'text' unit[(p[, s])] [TO unit[(s)]], at the INTERVAL keyword. */
export function intervalLiteral(c: Cursor): Expr {
  const start = c.next();
  const lit = c.next();
  const lead = unit(c);
  let precision = 2;
  if (c.acceptOp('(')) {
    precision = integer(c);
    if (precision > 9) throw new SqlError('ORA-30088: datetime/interval precision is out of range', lit.pos);
    if (lead === 'SECOND' && c.acceptOp(',')) integer(c);
    c.expectOp(')');
  }
  let trail = lead;
  if (c.acceptKw('TO')) {
    trail = unit(c);
    if (trail === 'SECOND' && c.acceptOp('(')) { integer(c); c.expectOp(')'); }
  }
  return { t: 'interval', v: intervalValue(lit.value, lead, precision, trail, lit.pos), pos: start.pos, end: c.lastEnd };
}

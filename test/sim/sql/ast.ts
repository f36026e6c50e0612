// Syntax tree of the SQL subset the engine evaluates.
import type { DsInterval } from './interval.ts';
import type { OraNumber } from './number.ts';

/** CAST target types the engine implements. */
export type CastType =
  | { name: 'NUMBER'; precision?: number; scale?: number }
  | { name: 'VARCHAR2' | 'CHAR'; length: number }
  | { name: 'DATE' };

export type Expr =
  | { t: 'num'; v: OraNumber; pos: number; end: number }
  | { t: 'interval'; v: DsInterval; pos: number; end: number }
  | { t: 'cast'; e: Expr; to: CastType; pos: number; end: number }
  | { t: 'str'; v: string; pos: number; end: number }
  | { t: 'null'; pos: number; end: number }
  | { t: 'col'; parts: string[]; quoted: boolean[]; pos: number; end: number }
  | { t: 'star'; table?: string; pos: number; end: number }
  | { t: 'bin'; op: '+' | '-' | '*' | '/' | '||'; l: Expr; r: Expr; pos: number; end: number }
  | { t: 'neg'; e: Expr; pos: number; end: number }
  | { t: 'func'; name: string; args: Expr[]; distinct: boolean; star: boolean; pos: number; end: number; within?: OrderItem[] }
  | { t: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; else?: Expr; pos: number; end: number }
  | { t: 'cmp'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; l: Expr; r: Expr; pos: number; end: number }
  | { t: 'and' | 'or'; l: Expr; r: Expr; pos: number; end: number }
  | { t: 'not'; e: Expr; pos: number; end: number }
  | { t: 'in'; e: Expr; list?: Expr[]; sub?: Select; not: boolean; pos: number; end: number }
  | { t: 'between'; e: Expr; lo: Expr; hi: Expr; not: boolean; pos: number; end: number }
  | { t: 'like'; e: Expr; pat: Expr; esc?: Expr; not: boolean; pos: number; end: number }
  | { t: 'isnull'; e: Expr; not: boolean; pos: number; end: number }
  | { t: 'exists'; sub: Select; pos: number; end: number }
  | { t: 'subq'; sub: Select; pos: number; end: number };

export interface SelectItem {
  expr: Expr;
  alias?: string;
  /** column heading when no alias: the expression text as Oracle names it */
  text: string;
}

export type FromItem =
  | { kind: 'view'; owner?: string; name: string; alias?: string; pos: number }
  | { kind: 'sub'; q: Select; alias?: string; pos: number }
  | { kind: 'join'; type: 'inner' | 'left' | 'right' | 'cross'; left: FromItem; right: FromItem; on?: Expr; pos: number };

export interface OrderItem {
  expr: Expr;
  desc: boolean;
  nullsFirst?: boolean;
}

export interface Select {
  distinct: boolean;
  items: SelectItem[];
  from: FromItem[];
  where?: Expr;
  groupBy?: Expr[];
  having?: Expr;
  /** UNION [ALL] / MINUS / INTERSECT chain */
  setOps?: { op: 'UNION' | 'UNION ALL' | 'MINUS' | 'INTERSECT'; q: Select }[];
  orderBy?: OrderItem[];
  /** WITH name AS (subquery), ... */
  with?: { name: string; columns?: string[]; q: Select }[];
  /** OFFSET n ROWS / FETCH FIRST n ROWS ONLY */
  fetch?: { offset: number; count?: number };
  pos: number;
}

export const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG', 'LISTAGG']);

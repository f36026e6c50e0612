// Query output as SQL*Plus prints it: headings, underline, page breaks, LINESIZE wrapping,
// NUMWIDTH, COLUMN formats, feedback; or CSV with MARKUP CSV ON.
import type { Cell, ColumnDef } from '../sql/types.ts';
import { formatDate } from '../sql/datefmt.ts';
import { formatNumber } from '../sql/numfmt.ts';
import { OraNumber, numberText } from '../sql/number.ts';
import type { Settings } from './settings.ts';
import { numberInWidth } from './numdisplay.ts';

export interface ColumnFormat { format?: string; heading?: string; noprint?: boolean }

function cellText(v: Cell, col: ColumnDef, width: number, st: Settings, cf?: ColumnFormat): string {
  if (v === null) return st.null;
  if (v instanceof Date) return formatDate(v, 'DD-MON-RR');
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof OraNumber) {
    const fmt = cf?.format && !/^a/i.test(cf.format) ? cf.format : st.numformat;
    if (fmt) {
      const s = formatNumber(OraNumber.from(v), fmt);
      return s.trim() === '' ? '' : s.replace(/^ /, '');
    }
    return numberInWidth(v, st.numwidth);
  }
  return String(v);
}

function feedbackMessage(n: number, st: Settings): string | undefined {
  if (n === 0) return st.feedback > 0 ? 'no rows selected' : undefined;
  if (st.feedback > 0 && n >= st.feedback) return n === 1 ? '1 row selected.' : `${n} rows selected.`;
  return undefined;
}

function csvField(v: Cell, col: ColumnDef, st: Settings): string {
  if (v === null) return '';
  let s: string;
  let quote = st.csv.quote;
  if (v instanceof Date) s = formatDate(v, 'DD-MON-RR');
  else if (typeof v === 'number' || typeof v === 'bigint' || v instanceof OraNumber) { s = numberText(OraNumber.from(v)); quote = false; }
  else s = v;
  return quote ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(columns: ColumnDef[], rows: Cell[][], st: Settings): string {
  const lines: string[] = [];
  const q = (s: string) => (st.csv.quote ? `"${s.replace(/"/g, '""')}"` : s);
  let out = '';
  if (rows.length) {
    if (st.pagesize > 0) out += '\n';
    if (st.heading && st.pagesize > 0) lines.push(columns.map((c) => q(c.name)).join(st.csv.delimiter));
    for (const r of rows) lines.push(r.map((v, i) => csvField(v, columns[i], st)).join(st.csv.delimiter));
    out += lines.map((l) => l + '\n').join('');
  }
  return out + tail(rows.length, st);
}

function tail(n: number, st: Settings): string {
  const msg = feedbackMessage(n, st);
  if (n === 0) return msg ? `\n${msg}\n\n` : '';
  if (st.pagesize > 0) return msg ? `\n${msg}\n\n` : '\n';
  return msg ? `\n${msg}\n\n` : '';
}

interface Layout { col: ColumnDef; idx: number; width: number; right: boolean; heading: string; cf?: ColumnFormat }

function layoutColumns(columns: ColumnDef[], rows: Cell[][], st: Settings, fmts: Map<string, ColumnFormat>): Layout[] {
  const out: Layout[] = [];
  columns.forEach((col, idx) => {
    const cf = fmts.get(col.name.toUpperCase());
    if (cf?.noprint) return;
    const heading = cf?.heading ?? col.name;
    const headLen = Math.max(...heading.split('|').map((h) => h.length));
    let width: number;
    const right = col.type === 'NUMBER';
    const aFmt = cf?.format && /^a\d+$/i.test(cf.format) ? Number(cf.format.slice(1)) : undefined;
    if (col.type === 'NUMBER') {
      const fmt = cf?.format && !aFmt ? cf.format : st.numformat;
      width = Math.max(fmt ? fmt.replace(/^fm/i, '').length + 1 : st.numwidth, headLen);
    } else if (aFmt !== undefined) width = aFmt;
    else if (col.type === 'DATE') width = 9;
    else if (col.width !== undefined) width = col.width;
    else width = Math.max(headLen, ...rows.map((r) => (r[idx] === null ? st.null.length : String(r[idx]).length)), 1);
    width = Math.max(1, Math.min(width, st.linesize));
    out.push({ col, idx, width, right, heading, cf });
  });
  return out;
}

/** Splits the columns into groups that fit in LINESIZE (SQL*Plus wraps a record that is too wide). */
function groups(cols: Layout[], st: Settings): Layout[][] {
  const gs: Layout[][] = [];
  let cur: Layout[] = [];
  let w = 0;
  for (const c of cols) {
    const need = cur.length ? w + st.colsep.length + c.width : c.width;
    if (cur.length && need > st.linesize) { gs.push(cur); cur = []; w = 0; }
    w = cur.length ? w + st.colsep.length + c.width : c.width;
    cur.push(c);
  }
  if (cur.length) gs.push(cur);
  return gs;
}

function renderLines(cells: string[][], g: Layout[], st: Settings): string[] {
  const height = Math.max(...cells.map((c) => c.length));
  const lines: string[] = [];
  for (let k = 0; k < height; k++) {
    lines.push(g.map((c, i) => {
      const s = cells[i][k] ?? '';
      return c.right ? s.padStart(c.width) : s.padEnd(c.width);
    }).join(st.colsep));
  }
  return lines;
}

function chunk(s: string, w: number, wrap: boolean): string[] {
  if (s.length <= w) return [s];
  if (!wrap) return [s.slice(0, w)];
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += w) parts.push(s.slice(i, i + w));
  return parts;
}

export function formatTable(columns: ColumnDef[], rows: Cell[][], st: Settings, fmts: Map<string, ColumnFormat>): string {
  if (!rows.length) return tail(0, st);
  const cols = layoutColumns(columns, rows, st, fmts);
  const gs = groups(cols, st);
  const headLines: string[] = [];
  if (st.heading && st.pagesize > 0) {
    for (const g of gs) {
      const hcells = g.map((c) => {
        const hs = c.heading.split('|');
        return hs.map((h) => (c.right ? h : h.slice(0, c.width)));
      });
      headLines.push(...renderLines(hcells, g, st));
      if (st.underline) headLines.push(g.map((c) => (st.underline as string).repeat(c.width)).join(st.colsep));
    }
  }
  const fin = (l: string) => (st.trimout ? l.replace(/\s+$/, '') : l.padEnd(st.linesize));
  let out = '';
  let used = 0;
  const newPage = () => {
    if (st.pagesize <= 0) return;
    if (st.newpage === 0) out += '\f';
    else if (st.newpage !== 'NONE') out += '\n'.repeat(st.newpage);
    for (const l of headLines) out += fin(l) + '\n';
    used = (typeof st.newpage === 'number' ? st.newpage : 0) + headLines.length;
  };
  newPage();
  for (const r of rows) {
    const lines: string[] = [];
    for (const g of gs) {
      const cells = g.map((c) => chunk(cellText(r[c.idx], c.col, c.width, st, c.cf), c.width, st.wrap));
      lines.push(...renderLines(cells, g, st));
    }
    if (st.pagesize > 0 && used + lines.length > st.pagesize && used > headLines.length + (typeof st.newpage === 'number' ? st.newpage : 0)) newPage();
    for (const l of lines) out += fin(l) + '\n';
    used += lines.length;
  }
  return out + tail(rows.length, st);
}

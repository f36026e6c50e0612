// JSON encoding of results and errors for the socket protocol of CONTRACT.md.
// The daemon sends encodeResult()/encodeError(); the sqlplus client decodes with decodeResult().
import { OraNumber } from './number.ts';
import { OraError, type Cell, type ColumnDef, type SqlResult } from './types.ts';

export type WireResponse =
  | { ok: true; type: 'rows'; columns: ColumnDef[]; rows: (number | string | null)[][] }
  | { ok: true; type: 'done'; message: string }
  | { ok: false; error: { lines: string[]; position?: number; line?: number } };

/**
 * NUMBER: a JSON number when the double names the value exactly, else its exact decimal text
 * ("18446744073709551615", "9223372036854775807.5"); DATE: ISO text (whole seconds).
 */
function encodeCell(c: Cell): number | string | null {
  if (c === null || c === undefined) return null;
  if (c instanceof Date) return c.toISOString();
  if (typeof c === 'bigint') return Number.isSafeInteger(Number(c)) ? Number(c) : c.toString();
  if (c instanceof OraNumber) return c.fitsNumber() ? c.toNumber() : c.toPlain();
  return c;
}

export function encodeResult(r: SqlResult): WireResponse {
  if (r.type === 'done') return { ok: true, type: 'done', message: r.message };
  return { ok: true, type: 'rows', columns: r.columns, rows: r.rows.map((row) => row.map(encodeCell)) };
}

/** Any thrown value → error response; non-Oracle errors become ORA-00600 so they are never silent. */
export function encodeError(e: unknown): WireResponse {
  if (e instanceof OraError || (e && typeof e === 'object' && Array.isArray((e as OraError).lines))) {
    const o = e as OraError;
    return { ok: false, error: { lines: o.lines, position: o.position, line: o.line } };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { ok: false, error: { lines: [`ORA-00600: internal error code, arguments: [sim], [${msg}]`] } };
}

/** Response → result (DATE columns back to Date, NUMBER text to bigint for integers, OraNumber for decimals) or an OraError. */
export function decodeResult(w: WireResponse): SqlResult | OraError {
  if (!w.ok) return new OraError(w.error.lines, w.error.line ?? 1, w.error.position);
  if (w.type === 'done') return { type: 'done', message: w.message };
  const rows = w.rows.map((row) => row.map((v, i): Cell => {
    if (v === null) return null;
    const t = w.columns[i]?.type;
    if (t === 'DATE' && typeof v === 'string') return new Date(v);
    if (t === 'NUMBER' && typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
    if (t === 'NUMBER' && typeof v === 'string') return OraNumber.parse(v) ?? v;
    return v;
  }));
  return { type: 'rows', columns: w.columns, rows };
}

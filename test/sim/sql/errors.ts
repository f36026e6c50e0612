// Errors raised by the SQL engine: an OraError that also knows where in the statement
// text the error is (SQL*Plus prints the line and a '*' under that position).
import { OraError } from './types.ts';

export class SqlError extends OraError {
  constructor(lines: string[] | string, position = 0) {
    super(lines, 1, position);
  }
}

/** ORA-00904 with the identifier as Oracle prints it ("T"."X"). */
export function invalidIdentifier(parts: string[], position: number): SqlError {
  return new SqlError(`ORA-00904: ${parts.map((p) => `"${p}"`).join('.')}: invalid identifier`, position);
}

/**
 * Valid Oracle SQL the simulator does not implement: one distinctive error (no real Oracle
 * message uses the SIM- prefix) that names the construct, so it is never taken for a mistake
 * in the query. CONTRACT.md lists what is refused.
 */
export function unsupported(construct: string, position: number): SqlError {
  return new SqlError(`SIM-00001: not supported by the simulator: ${construct}`, position);
}

/** Line (1-based) and column (0-based) of an offset in a text. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(pos, text.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: before.length - nl - 1 };
}

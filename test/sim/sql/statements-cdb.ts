// Container statements (CDB): ALTER SESSION SET CONTAINER, ALTER PLUGGABLE DATABASE.
// Self-contained: statements.ts hands over after ALTER SESSION / ALTER PLUGGABLE DATABASE.
import type { Command } from './types.ts';
import type { Cursor } from './cursor.ts';
import { SqlError } from './errors.ts';

function name(c: Cursor, err: string): string {
  const t = c.peek;
  if (t.kind !== 'ident' && t.kind !== 'qident') throw new SqlError(err, t.pos);
  c.next();
  return t.value;
}

function end(c: Cursor): void {
  if (!c.atEnd()) throw new SqlError('ORA-00933: SQL command not properly ended', c.peek.pos);
}

/** After ALTER SESSION: SET CONTAINER = name (other ALTER SESSION options are not simulated). */
export function alterSession(c: Cursor): Command {
  if (!c.acceptKw('SET')) throw new SqlError('ORA-02248: invalid option for ALTER SESSION', c.peek.pos);
  if (!c.acceptKw('CONTAINER')) throw new SqlError('ORA-02248: invalid option for ALTER SESSION', c.peek.pos);
  c.expectOp('=', 'ORA-02248: invalid option for ALTER SESSION');
  const container = name(c, 'ORA-65000: missing or invalid pluggable database name');
  end(c);
  return { kind: 'setContainer', container };
}

const STATE_WORDS = new Set(['BEGIN', 'END', 'OPEN', 'CLOSE']);

/**
 * After ALTER PLUGGABLE DATABASE:
 *   [name] { BEGIN | END } BACKUP
 *   [ name [, name ...] | ALL [ EXCEPT name [, name ...] ] ] OPEN [ READ WRITE | READ ONLY ] [ RESTRICTED ] [ FORCE ]
 *   [ name [, name ...] | ALL [ EXCEPT name [, name ...] ] ] CLOSE [ IMMEDIATE | ABORT ]
 */
export function alterPluggable(c: Cursor): Command {
  let pdbs: string[] | 'ALL' | undefined;
  let except: string[] = [];
  if (c.acceptKw('ALL')) {
    pdbs = 'ALL';
    if (c.acceptKw('EXCEPT')) {
      do except.push(name(c, 'ORA-65000: missing or invalid pluggable database name')); while (c.acceptOp(','));
    }
  } else if (!(c.peek.kind === 'ident' && STATE_WORDS.has(c.peek.value))) {
    pdbs = [];
    do pdbs.push(name(c, 'ORA-65000: missing or invalid pluggable database name')); while (c.acceptOp(','));
  }
  const bad = () => new SqlError('ORA-00922: missing or invalid option', c.peek.pos);
  let cmd: Command;
  if (c.isKw('BEGIN') || c.isKw('END')) {
    const action = c.next().value as 'BEGIN' | 'END';
    if (!c.acceptKw('BACKUP')) throw bad();
    if (pdbs === 'ALL' || (pdbs && pdbs.length > 1)) throw new SqlError('ORA-65000: missing or invalid pluggable database name', c.peek.pos);
    cmd = { kind: 'pluggableBackup', action, ...(pdbs?.length ? { pdb: pdbs[0] } : {}) };
  } else if (c.acceptKw('OPEN')) {
    let mode: 'READ WRITE' | 'READ ONLY' = 'READ WRITE';
    if (c.acceptKw('READ', 'ONLY')) mode = 'READ ONLY';
    else c.acceptKw('READ', 'WRITE');
    const restricted = c.acceptKw('RESTRICTED');
    const force = c.acceptKw('FORCE');
    cmd = { kind: 'pluggableOpenClose', action: 'OPEN', mode, restricted, force, except, ...(pdbs ? { pdbs } : {}) };
  } else if (c.acceptKw('CLOSE')) {
    const immediate = c.acceptKw('IMMEDIATE') || c.acceptKw('ABORT');
    cmd = { kind: 'pluggableOpenClose', action: 'CLOSE', immediate, except, ...(pdbs ? { pdbs } : {}) };
  } else throw bad();
  end(c);
  return cmd;
}

// ALTER TABLESPACE / DATABASE / SYSTEM statements → instance Commands.
import type { Command } from './types.ts';
import { Cursor } from './cursor.ts';
import { SqlError } from './errors.ts';
import { alterPluggable, alterSession } from './statements-cdb.ts';

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

function sizeClause(c: Cursor): number {
  const t = c.peek;
  if (t.kind !== 'number') throw new SqlError('ORA-02017: integer value required', t.pos);
  c.next();
  let n = Number(t.value);
  const u = c.peek;
  if (u.kind === 'ident' && UNITS[u.value] && u.pos === t.end) { c.next(); n *= UNITS[u.value]; }
  return n;
}

function stringLit(c: Cursor, err: string): string {
  const t = c.peek;
  if (t.kind !== 'string') throw new SqlError(err, t.pos);
  c.next();
  return t.value;
}

function end(c: Cursor): void {
  if (!c.atEnd()) throw new SqlError('ORA-00933: SQL command not properly ended', c.peek.pos);
}

/** Parses ALTER ...; returns the commands to run in order. */
export function parseAlter(c: Cursor): Command[] {
  c.next(); // ALTER
  if (c.acceptKw('TABLESPACE')) return alterTablespace(c);
  if (c.acceptKw('DATABASE')) return [alterDatabase(c)];
  if (c.acceptKw('SYSTEM')) return [alterSystem(c)];
  if (c.acceptKw('SESSION')) return [alterSession(c)];
  if (c.acceptKw('PLUGGABLE', 'DATABASE')) return [alterPluggable(c)];
  throw new SqlError('ORA-00940: invalid ALTER command', c.peek.pos);
}

function alterTablespace(c: Cursor): Command[] {
  const nt = c.peek;
  if (nt.kind !== 'ident' && nt.kind !== 'qident') throw new SqlError('ORA-02140: invalid tablespace name', nt.pos);
  c.next();
  const tablespace = nt.value;
  const bad = () => new SqlError('ORA-02142: missing or invalid ALTER TABLESPACE option', c.peek.pos);
  let cmds: Command[];
  if (c.acceptKw('BEGIN', 'BACKUP')) cmds = [{ kind: 'tablespaceBackup', tablespace, action: 'BEGIN' }];
  else if (c.acceptKw('END', 'BACKUP')) cmds = [{ kind: 'tablespaceBackup', tablespace, action: 'END' }];
  else if (c.acceptKw('READ', 'ONLY')) cmds = [{ kind: 'tablespaceReadOnly', tablespace, readOnly: true }];
  else if (c.acceptKw('READ', 'WRITE')) cmds = [{ kind: 'tablespaceReadOnly', tablespace, readOnly: false }];
  else if (c.acceptKw('OFFLINE')) { c.acceptKw('NORMAL'); cmds = [{ kind: 'tablespaceOnline', tablespace, online: false }]; }
  else if (c.acceptKw('ONLINE')) cmds = [{ kind: 'tablespaceOnline', tablespace, online: true }];
  else if (c.acceptKw('NOLOGGING')) cmds = [{ kind: 'tablespaceLogging', tablespace, mode: 'NOLOGGING' }];
  else if (c.acceptKw('LOGGING')) cmds = [{ kind: 'tablespaceLogging', tablespace, mode: 'LOGGING' }];
  else if (c.acceptKw('FORCE', 'LOGGING')) cmds = [{ kind: 'tablespaceLogging', tablespace, mode: 'FORCE LOGGING' }];
  else if (c.acceptKw('NO', 'FORCE', 'LOGGING')) cmds = [{ kind: 'tablespaceLogging', tablespace, mode: 'NO FORCE LOGGING' }];
  else if (c.acceptKw('ADD', 'DATAFILE')) {
    cmds = [];
    do {
      const path = stringLit(c, 'ORA-02236: invalid file name');
      let bytes: number | undefined;
      if (c.acceptKw('SIZE')) bytes = sizeClause(c);
      c.acceptKw('REUSE');
      if (c.acceptKw('AUTOEXTEND')) {
        if (!c.acceptKw('OFF')) {
          if (!c.acceptKw('ON')) throw new SqlError('ORA-02142: missing or invalid ALTER TABLESPACE option', c.peek.pos);
          if (c.acceptKw('NEXT')) sizeClause(c);
          if (c.acceptKw('MAXSIZE')) { if (!c.acceptKw('UNLIMITED')) sizeClause(c); }
        }
      }
      if (bytes === undefined) {
        throw new SqlError(['ORA-01119: error in creating database file \'' + path + '\'', `ORA-17610: file '${path}' does not exist and no size specified`, 'ORA-27037: unable to obtain file status'], 0);
      }
      cmds.push({ kind: 'addDatafile', tablespace, path, bytes });
    } while (c.acceptOp(','));
  } else throw bad();
  end(c);
  return cmds;
}

function alterDatabase(c: Cursor): Command {
  let cmd: Command;
  const bad = () => new SqlError('ORA-02231: missing or invalid option to ALTER DATABASE', c.peek.pos);
  if (c.acceptKw('BEGIN', 'BACKUP')) cmd = { kind: 'databaseBackup', action: 'BEGIN' };
  else if (c.acceptKw('END', 'BACKUP')) cmd = { kind: 'databaseBackup', action: 'END' };
  else if (c.acceptKw('FORCE', 'LOGGING')) cmd = { kind: 'forceLogging', on: true };
  else if (c.acceptKw('NO', 'FORCE', 'LOGGING')) cmd = { kind: 'forceLogging', on: false };
  else if (c.acceptKw('OPEN')) {
    if (c.acceptKw('READ', 'ONLY')) cmd = { kind: 'databaseOpen', readOnly: true };
    else { c.acceptKw('READ', 'WRITE'); cmd = { kind: 'databaseOpen' }; }
  } else if (c.acceptKw('MOUNT')) {
    const standby = c.acceptKw('STANDBY', 'DATABASE');
    cmd = { kind: 'mountDatabase', standby };
  } else if (c.acceptKw('RECOVER')) {
    if (!c.acceptKw('MANAGED', 'STANDBY', 'DATABASE')) throw new SqlError('SIM-00001: not supported by the simulator: ALTER DATABASE RECOVER (use the SQL*Plus RECOVER command)', c.peek.pos);
    while (!c.atEnd()) c.next();
    cmd = { kind: 'managedRecovery' };
  } else if (c.acceptKw('CREATE', 'DATAFILE')) {
    const t = c.peek;
    let file: string | number;
    if (t.kind === 'string') file = t.value;
    else if (t.kind === 'number' && /^\d+$/.test(t.value)) file = Number(t.value);
    else throw new SqlError('ORA-02236: invalid file name', t.pos);
    c.next();
    c.expectKw('AS', 'ORA-00905: missing keyword');
    const as = stringLit(c, 'ORA-02236: invalid file name');
    cmd = { kind: 'createDatafileAs', file, as };
  } else if (c.acceptKw('RENAME', 'FILE')) {
    const from = stringLit(c, 'ORA-02236: invalid file name');
    c.expectKw('TO', 'ORA-00905: missing keyword');
    const to = stringLit(c, 'ORA-02236: invalid file name');
    cmd = { kind: 'renameFile', from, to };
  } else if (c.acceptKw('REGISTER')) {
    if (c.acceptKw('OR')) c.expectKw('REPLACE', 'ORA-00905: missing keyword');
    c.acceptKw('PHYSICAL');
    c.expectKw('LOGFILE', 'ORA-00905: missing keyword');
    cmd = { kind: 'registerLogfile', path: stringLit(c, 'ORA-02236: invalid file name') };
  }
  else if (c.acceptKw('DATAFILE')) {
    const t = c.peek;
    let file: string | number;
    if (t.kind === 'string') file = t.value;
    else if (t.kind === 'number' && /^\d+$/.test(t.value)) file = Number(t.value);
    else throw new SqlError('ORA-02236: invalid file name', t.pos);
    c.next();
    if (!c.acceptKw('END', 'BACKUP')) throw bad();
    cmd = { kind: 'datafileEndBackup', file };
  } else if (c.acceptKw('CREATE', 'STANDBY', 'CONTROLFILE')) {
    c.expectKw('AS', 'ORA-00905: missing keyword');
    const path = stringLit(c, 'ORA-02236: invalid file name');
    const reuse = c.acceptKw('REUSE');
    cmd = { kind: 'createStandbyControlfile', path, reuse };
  } else throw bad();
  end(c);
  return cmd;
}

function alterSystem(c: Cursor): Command {
  let cmd: Command;
  if (c.acceptKw('SWITCH', 'LOGFILE')) cmd = { kind: 'switchLogfile' };
  else if (c.acceptKw('ARCHIVE', 'LOG', 'CURRENT')) cmd = { kind: 'archiveLogCurrent' };
  else if (c.acceptKw('CHECKPOINT')) { if (!c.acceptKw('GLOBAL')) c.acceptKw('LOCAL'); cmd = { kind: 'checkpoint' }; }
  else throw new SqlError('ORA-02065: illegal option for ALTER SYSTEM', c.peek.pos);
  end(c);
  return cmd;
}

// SYS_CONTEXT('USERENV', parameter) for a session of the simulated instance.
import { OraError } from '../sql/types.ts';
import { containerById, containerName, type SessionState } from './containers.ts';
import type { Instance } from './instance.ts';

export function sysContext(inst: Instance, s: SessionState, namespace: string, parameter: string): string | null {
  if (namespace !== 'USERENV') return null;
  const c = inst.c;
  switch (parameter) {
    case 'CON_NAME':
      return containerName(c, s);
    case 'CON_ID':
      return String(s.conId);
    case 'CON_DBID':
      return String(c.cdb ? containerById(c, s.conId)?.dbid ?? c.dbid : c.dbid);
    case 'CDB_NAME':
      return c.cdb ? c.dbName : null;
    case 'DB_NAME':
      return c.cdb && s.conId > 1 ? containerName(c, s) : c.dbName;
    case 'DB_UNIQUE_NAME':
      return c.params.db_unique_name ?? c.dbName;
    case 'INSTANCE_NAME':
      return c.sid;
    case 'SESSION_USER': case 'CURRENT_USER': case 'CURRENT_SCHEMA':
      return 'SYS';
    case 'ISDBA':
      return 'TRUE';
    case 'DATABASE_ROLE':
      return 'PRIMARY';
    default:
      throw new OraError(['ORA-02003: invalid USERENV parameter']);
  }
}

// The standby instance's state as sqlplus reports it, and bringing it to MOUNTED as a physical
// standby (STARTUP NOMOUNT, ALTER DATABASE MOUNT STANDBY DATABASE). It never opens it.
import { STANDBY_SQL } from '../db/sql.ts';
import { OracleError, PreconditionError } from '../errors.ts';
import type { DrSqlplus } from './drSqlplus.ts';

export interface StandbyInstance {
  status: 'idle' | 'STARTED' | 'MOUNTED' | 'OPEN';
  dbid?: string;
  role?: string;
  controlfileType?: string;
  openMode?: string;
  currentScn?: string;
}

export const PROBE = [STANDBY_SQL.instance, STANDBY_SQL.database];

export const oraLines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => /^(ORA-\d{5}|SP2-\d{4})/.test(l));

export function readInstance(text: string): StandbyInstance {
  const lines = text.split('\n').map((l) => l.trim());
  const inst = lines.find((l) => l.startsWith('INST|'));
  if (!inst) {
    if (/^ORA-01034/m.test(text)) return { status: 'idle' };
    throw new OracleError('cannot read the state of the standby instance', oraLines(text), 'run sqlplus / as sysdba on DR and look at the alert log');
  }
  const status = inst.slice(5) as StandbyInstance['status'];
  const db = lines.find((l) => l.startsWith('DB|'));
  if (!db) return { status };
  const [, dbid, role, controlfileType, openMode, currentScn] = db.split('|');
  return { status, dbid, role, controlfileType, openMode, currentScn };
}

export async function probe(sql: DrSqlplus): Promise<StandbyInstance> {
  return readInstance(await sql.script(PROBE));
}

/** Mounts an idle or started instance as a standby; refuses anything that is not a standby. */
export async function ensureMounted(sql: DrSqlplus, log: (m: string) => void): Promise<StandbyInstance> {
  let inst = await probe(sql);
  if (inst.status === 'idle' || inst.status === 'STARTED') {
    const steps = [...(inst.status === 'idle' ? [STANDBY_SQL.startNomount] : []), STANDBY_SQL.mountStandby];
    log(`standby instance ${inst.status === 'idle' ? 'is down' : 'is started (NOMOUNT)'}: ${steps.join(' then ')}`);
    const out = await sql.script(steps);
    inst = await probe(sql);
    if (inst.status !== 'MOUNTED') {
      throw new OracleError(`the standby instance could not be mounted (it is ${inst.status})`, oraLines(out), 'look at the standby alert log; CONTROL_FILES of the standby must name the standby controlfile hot_backup_ts shipped (standby_controlfile.dr_path)');
    }
  }
  if (inst.role !== 'PHYSICAL STANDBY' || inst.controlfileType !== 'STANDBY') {
    throw new PreconditionError(
      `the DR instance is a ${inst.role ?? 'database of unknown role'} (controlfile ${inst.controlfileType ?? 'unknown'}), not a physical standby: apply_standby only recovers a standby`,
      'mount the DR instance with the standby controlfile hot_backup_ts shipped (STARTUP NOMOUNT; ALTER DATABASE MOUNT STANDBY DATABASE); if it was opened read/write or with RESETLOGS it can no longer be recovered: build it again with a new cycle (bin/orquestra_dr --new-cycle)',
    );
  }
  return inst;
}

// ALTER DATABASE CREATE STANDBY CONTROLFILE AS '...': the simulator's control file format
// (JSON with a magic), listing datafiles with production names, tablespaces and the SCN.
import fs from 'node:fs';
import { OraError } from '../sql/types.ts';
import { tablespaceOf } from './control.ts';
import type { Instance } from './instance.ts';

export const STANDBY_MAGIC = 'SIM ORACLE STANDBY CONTROLFILE v1';

export interface StandbyControlfile {
  magic: string;
  controlfileType: 'STANDBY';
  dbid: number;
  dbName: string;
  resetlogsId: number;
  resetlogsScn: number;
  createdScn: number;
  createdTime: number;
  logArchiveFormat: string;
  /** recovery accepts copies taken open and outside backup mode unless torn (sim create --lenient) */
  lenientCopies?: boolean;
  /** production home and sid: lets verify find the truth journal */
  primary: { home: string; sid: string };
  tablespaces: { ts: number; name: string; contents: string; status: string }[];
  datafiles: { file: number; ts: number; tablespace: string; name: string; blocks: number; creationScn: number; status: string; enabled: string; checkpointScn: number; conId?: number }[];
  /** CDB only: every container with its open mode when the controlfile was made */
  containers?: { conId: number; name: string; openMode: string }[];
  archivedLogs: { thread: number; sequence: number; firstChange: number; nextChange: number; name: string | null }[];
}

export function writeStandbyControlfile(inst: Instance, file: string, reuse: boolean): void {
  const c = inst.c;
  if (fs.existsSync(file) && !reuse) throw new OraError(['ORA-01580: error creating control backup file ' + file, 'ORA-27038: created file already exists', 'Additional information: 1']);
  const seen = new Set<number>();
  const cf: StandbyControlfile = {
    magic: STANDBY_MAGIC, controlfileType: 'STANDBY', dbid: c.dbid, dbName: c.dbName, resetlogsId: c.resetlogsId,
    resetlogsScn: c.resetlogsScn, createdScn: c.scn, createdTime: Date.now(), logArchiveFormat: c.params.log_archive_format ?? '%t_%s_%r.dbf',
    lenientCopies: c.lenientCopies === true,
    primary: { home: c.home, sid: c.sid },
    tablespaces: c.tablespaces.map((t) => ({ ts: t.ts, name: t.name, contents: t.contents, status: t.status })),
    datafiles: c.datafiles.map((d) => ({
      file: d.file, ts: d.ts, tablespace: tablespaceOf(c, d.ts, d.conId).name, name: d.name, blocks: d.blocks, creationScn: d.creationScn,
      status: d.status, enabled: d.enabled, checkpointScn: d.checkpointScn, ...(d.conId !== undefined ? { conId: d.conId } : {}),
    })),
    ...(c.cdb ? { containers: (c.containers ?? []).map((k) => ({ conId: k.conId, name: k.name, openMode: k.openMode })) } : {}),
    archivedLogs: c.archivedLogs.filter((a) => !seen.has(a.sequence) && seen.add(a.sequence)).map((a) => ({ thread: a.thread, sequence: a.sequence, firstChange: a.firstChange, nextChange: a.nextChange, name: a.name })),
  };
  try {
    fs.writeFileSync(file, JSON.stringify(cf, null, 1));
  } catch (e) {
    throw new OraError([`ORA-01580: error creating control backup file ${file}`, 'ORA-27040: file create error, unable to create file', `Linux-x86_64 Error: ${(e as NodeJS.ErrnoException).errno ?? 2}: ${(e as Error).message}`]);
  }
}

export function readStandbyControlfile(file: string): StandbyControlfile {
  const cf = JSON.parse(fs.readFileSync(file, 'utf8')) as StandbyControlfile;
  if (cf.magic !== STANDBY_MAGIC) throw new Error(`${file} is not a standby controlfile of the simulator`);
  return cf;
}

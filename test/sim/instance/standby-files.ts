// What a standby knows about its files: from a standby controlfile or from the instance's
// control data, with DB_FILE_NAME_CONVERT applied (pairs; the first pair whose pattern
// occurs in the name wins; its first occurrence is replaced).
import fs from 'node:fs';
import path from 'node:path';
import { loadControl, stateDir, tablespaceOf } from './control.ts';
import { readStandbyControlfile } from './standby-controlfile.ts';
import { standbyDbOf } from '../standby/instance.ts';
import { loadStandbyState } from '../standby/state.ts';

export interface StandbyFile {
  file: number;
  ts: number;
  tablespace: string;
  primaryName: string;
  path: string;
  blocks: number;
  creationScn: number;
  /** recovered by redo: online and read-write in the controlfile (and not in a container open READ ONLY: PDB$SEED) */
  recover: boolean;
  /** container (CDB); 0 in a non-CDB */
  conId: number;
}

export interface StandbyDb {
  dbid: number;
  dbName: string;
  resetlogsId: number;
  logArchiveFormat: string;
  /** strict recovery: a copy taken open and outside backup mode never recovers (sim create --lenient turns it off) */
  strict: boolean;
  files: StandbyFile[];
  history: { sequence: number; firstChange: number; nextChange: number }[];
  primary: { home: string; sid: string };
}

export class ConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertError';
  }
}

export function parseConvert(spec: string | string[] | undefined): [string, string][] {
  const parts = (Array.isArray(spec) ? spec : (spec ?? '').split(',')).map((s) => s.trim().replace(/^'(.*)'$/, '$1')).filter((s) => s !== '');
  if (parts.length % 2) throw new ConvertError(`DB_FILE_NAME_CONVERT needs pairs of strings, got ${parts.length}: ${parts.join(',')}`);
  const pairs: [string, string][] = [];
  for (let i = 0; i < parts.length; i += 2) pairs.push([parts[i]!, parts[i + 1]!]);
  return pairs;
}

export function convertName(name: string, pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    const i = name.indexOf(from);
    if (i >= 0) return name.slice(0, i) + to + name.slice(i + from.length);
  }
  return name;
}

export function loadStandby(o: { controlfile?: string; home?: string; sid?: string; convert?: string | string[] }): StandbyDb {
  const pairs = parseConvert(o.convert);
  if (o.controlfile) {
    const cf = readStandbyControlfile(o.controlfile);
    const readOnlyCon = new Set((cf.containers ?? []).filter((k) => k.openMode === 'READ ONLY').map((k) => k.conId));
    return {
      dbid: cf.dbid, dbName: cf.dbName, resetlogsId: cf.resetlogsId, logArchiveFormat: cf.logArchiveFormat, primary: cf.primary,
      strict: cf.lenientCopies !== true,
      history: cf.archivedLogs,
      files: cf.datafiles.map((d) => ({
        file: d.file, ts: d.ts, tablespace: d.tablespace, primaryName: d.name, path: convertName(d.name, pairs), blocks: d.blocks,
        creationScn: d.creationScn, recover: d.status !== 'OFFLINE' && d.enabled === 'READ WRITE' && !readOnlyCon.has(d.conId ?? 0), conId: d.conId ?? 0,
      })),
    };
  }
  if (!o.home || !o.sid) throw new ConvertError('give --controlfile F, or --home H and --sid S');
  const dir = stateDir(path.resolve(o.home), o.sid);
  // a standby instance (sim standby-init): its own controlfile, with the names it uses now
  if (fs.existsSync(path.join(dir, 'standby.json'))) return standbyDbOf(loadStandbyState(dir));
  const c = loadControl(dir);
  return {
    dbid: c.dbid, dbName: c.dbName, resetlogsId: c.resetlogsId, logArchiveFormat: c.params.log_archive_format ?? '%t_%s_%r.dbf',
    strict: c.lenientCopies !== true,
    primary: { home: c.home, sid: c.sid },
    history: c.archivedLogs,
    files: c.datafiles.map((d) => ({
      file: d.file, ts: d.ts, tablespace: tablespaceOf(c, d.ts, d.conId).name, primaryName: d.name, path: convertName(d.name, pairs), blocks: d.blocks,
      creationScn: d.creationScn, conId: d.conId ?? 0,
      recover: d.status !== 'OFFLINE' && d.enabled === 'READ WRITE' && (c.containers ?? []).find((k) => k.conId === d.conId)?.openMode !== 'READ ONLY',
    })),
  };
}

/** Refuses to treat a production datafile as a standby copy (no pair matched and the path is production's). */
export function guardNotProduction(f: StandbyFile): void {
  if (f.path === f.primaryName && fs.existsSync(f.path)) {
    throw new ConvertError(`no DB_FILE_NAME_CONVERT pair matches '${f.primaryName}': refusing to recover the production datafile in place`);
  }
}

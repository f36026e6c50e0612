// The standby instance: NOMOUNT (STARTED), MOUNTED as a physical standby, OPEN READ ONLY;
// what recovery and the views read of its files. No redo is generated here: the files change
// only through media recovery (RECOVER ... STANDBY DATABASE) and CREATE DATAFILE.
import fs from 'node:fs';
import path from 'node:path';
import { OraError } from '../sql/types.ts';
import { decodeHeader, type FileHeader } from '../instance/block.ts';
import { readBlock } from '../instance/datafile.ts';
import type { StandbyDb, StandbyFile } from '../instance/standby-files.ts';
import { loadStandbyState, saveStandbyState, type StandbyDatafile, type StandbyState } from './state.ts';

export type StandbyInstanceState = 'IDLE' | 'STARTED' | 'MOUNTED' | 'OPEN';

export const ORA_IDLE = ['ORA-01034: ORACLE not available', 'ORA-27101: shared memory realm does not exist'];
const SGA = ['ORACLE instance started.', '', 'Total System Global Area 1073741824 bytes'];

export function readFileHeader(name: string): FileHeader | undefined {
  let fd: number;
  try {
    fd = fs.openSync(name, 'r');
  } catch {
    return undefined;
  }
  try {
    return decodeHeader(readBlock(fd, 1));
  } finally {
    fs.closeSync(fd);
  }
}

export const f1110 = (d: { file: number; name: string }) => `ORA-01110: data file ${d.file}: '${d.name}'`;

export class StandbyInstance {
  state: StandbyInstanceState = 'IDLE';
  s: StandbyState;
  startupTime = Date.now();
  /** a RECOVER session is running (one at a time, as Oracle allows one media recovery session) */
  recovering = false;

  constructor(readonly dir: string) {
    this.s = loadStandbyState(dir);
  }

  save(): void {
    saveStandbyState(this.dir, this.s);
  }

  alert(line: string): void {
    fs.appendFileSync(path.join(this.dir, `alert_${this.s.sid}.log`), `${new Date().toISOString()}\n${line}\n`);
  }

  startup(mode: 'open' | 'mount' | 'nomount'): string[] {
    if (this.state !== 'IDLE') throw new OraError(['ORA-01081: cannot start already-running ORACLE - shut it down first']);
    this.s = loadStandbyState(this.dir);
    this.startupTime = Date.now();
    this.recovering = false;
    this.state = 'STARTED';
    this.alert('Starting ORACLE instance (normal)');
    if (mode === 'nomount') return [...SGA];
    this.mount();
    if (mode === 'mount') return [...SGA, 'Database mounted.'];
    // plain STARTUP of a physical standby opens it read only
    this.openReadOnly();
    return [...SGA, 'Database mounted.', 'Database opened.'];
  }

  /** ALTER DATABASE MOUNT [STANDBY DATABASE]: the controlfile is a standby one, so either mounts it as a physical standby. */
  mount(): void {
    if (this.state === 'IDLE') throw new OraError(ORA_IDLE);
    if (this.state !== 'STARTED') throw new OraError(['ORA-01100: database already mounted']);
    this.state = 'MOUNTED';
    this.alert('ALTER DATABASE MOUNT STANDBY DATABASE\nPhysical Standby Database mounted.\nCompleted: ALTER DATABASE MOUNT STANDBY DATABASE');
  }

  /** ALTER DATABASE OPEN [READ ONLY]: refused while a recovered file is fuzzy or the files are not at one SCN. */
  openReadOnly(): void {
    if (this.state === 'IDLE') throw new OraError(ORA_IDLE);
    if (this.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
    if (this.state === 'OPEN') throw new OraError(['ORA-01531: a database already open by the instance']);
    if (this.recovering) throw new OraError(['ORA-10456: cannot open standby database; media recovery session may be in progress']);
    const why = this.inconsistency();
    if (why) {
      this.alert(`ORA-10458: standby database requires recovery\n${why.join('\n')}`);
      throw new OraError(['ORA-10458: standby database requires recovery', ...why]);
    }
    this.state = 'OPEN';
    this.alert('Completed: ALTER DATABASE OPEN READ ONLY');
  }

  shutdown(mode: 'immediate' | 'abort' | 'normal'): string[] {
    if (this.state === 'IDLE') throw new OraError(ORA_IDLE);
    const was = this.state;
    this.state = 'IDLE';
    this.alert(`Shutting down ORACLE instance (${mode})`);
    if (mode === 'abort') return ['ORACLE instance shut down.'];
    if (was === 'STARTED') return ['ORA-01507: database not mounted', '', '', 'ORACLE instance shut down.'];
    if (was === 'MOUNTED') return ['ORA-01109: database not open', '', 'Database dismounted.', 'ORACLE instance shut down.'];
    return ['Database closed.', 'Database dismounted.', 'ORACLE instance shut down.'];
  }

  /** Files recovery works on. */
  recoverFiles(): StandbyDatafile[] {
    return this.s.files.filter((f) => f.recover);
  }

  /**
   * Why the files cannot be opened (ORA-01195 still backup fuzzy, ORA-01194 online fuzzy in
   * strict mode or behind the others, ORA-01111/01157 for a file recovery could not create),
   * or undefined when every recovered file is consistent at one SCN.
   */
  inconsistency(): string[] | undefined {
    const strict = this.s.cf.lenientCopies !== true;
    const files = this.recoverFiles();
    const heads = new Map<number, FileHeader | undefined>(files.map((f) => [f.file, f.unnamed ? undefined : readFileHeader(f.name)]));
    for (const f of files) {
      if (f.unnamed) return [`ORA-01111: name for data file ${f.file} is unknown - rename to correct file`, f1110(f), `ORA-01157: cannot identify/lock data file ${f.file} - see DBWR trace file`];
      if (!heads.get(f.file)) return [`ORA-01157: cannot identify/lock data file ${f.file} - see DBWR trace file`, f1110(f)];
    }
    const backup = files.find((f) => heads.get(f.file)!.fuzzy);
    if (backup) return [`ORA-01195: online backup of file ${backup.file} needs more recovery to be consistent`, f1110(backup)];
    const online = strict ? files.find((f) => heads.get(f.file)!.onlineFuzzy) : undefined;
    if (online) return [`ORA-01194: file ${online.file} needs more recovery to be consistent`, f1110(online)];
    const top = Math.max(...files.map((f) => heads.get(f.file)!.checkpointScn));
    const behind = files.find((f) => heads.get(f.file)!.checkpointScn < top);
    if (behind) return [`ORA-01194: file ${behind.file} needs more recovery to be consistent`, f1110(behind)];
    return undefined;
  }

  /** The SCN the standby is recovered to: the lowest checkpoint of its recovered files (V$DATABASE.CURRENT_SCN of a mounted standby). */
  recoveredScn(): number {
    const scns = this.recoverFiles().map((f) => (f.unnamed ? undefined : readFileHeader(f.name)?.checkpointScn)).filter((x): x is number => x !== undefined);
    return scns.length ? Math.min(...scns) : 0;
  }

  /** What media recovery and verify need to know. */
  db(): StandbyDb {
    const s = this.s;
    return standbyDbOf(s);
  }
}

/** The recovery view of a standby instance's state (also used by verify for a standby home). */
export function standbyDbOf(s: StandbyState): StandbyDb {
  const files: StandbyFile[] = s.files.map((f) => ({
    file: f.file, ts: f.ts, tablespace: f.tablespace, primaryName: f.primaryName, path: f.name, blocks: f.blocks,
    creationScn: f.creationScn, recover: f.recover, conId: f.conId,
  }));
  const history = new Map<number, { sequence: number; firstChange: number; nextChange: number }>();
  for (const h of s.history) history.set(h.sequence, h);
  return {
    dbid: s.cf.dbid, dbName: s.cf.dbName, resetlogsId: s.cf.resetlogsId, logArchiveFormat: s.params.log_archive_format,
    strict: s.cf.lenientCopies !== true, files, history: [...history.values()].sort((a, b) => a.sequence - b.sequence), primary: s.cf.primary,
  };
}

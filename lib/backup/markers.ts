// The .done markers of one database: reading them (and taking over the unkeyed ones of earlier
// versions, when they provably belong to this database), and checking before the consistent
// point is recorded that every datafile of the database has one.
//
// Markers are keyed by database (ts_<SID>.<TS>.done) so databases sharing a state directory
// never read each other's. A marker from before that (ts_<TS>.done) names no database: it is
// adopted only when its cutoff SCN is this database's current cutoff and every file it lists
// is a datafile of this database with the same number, path and tablespace; otherwise it is
// ignored (the tablespace is copied again) and the log says so.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { DrError, ExitCode } from '../errors.ts';
import { matchesAny } from '../match.ts';
import { readJsonIfExists, type StateFiles, writeJsonAtomic } from '../state.ts';
import { rowKey } from './containers.ts';
import type { DatafileRow, DoneMarker } from './plan.ts';

/** Whether a legacy (unkeyed) marker certifies copies of this very database in this cycle. */
export function legacyMarkerBelongs(m: DoneMarker, cutoff: bigint, datafiles: DatafileRow[]): boolean {
  if (m.cutoffScn !== cutoff.toString() || !Array.isArray(m.files) || m.files.length === 0) return false;
  return m.files.every((f) => datafiles.some((d) => d.fileId === f.fileId && d.path === f.source && d.tablespace === m.tablespace));
}

export interface MarkerContext {
  state: StateFiles;
  sid: string;
  dbid: string;
  cutoff: bigint;
  log: Logger;
}

/**
 * Markers of the tablespaces of `datafiles`, keyed as the plan keys them (container/tablespace
 * in a CDB: ts_<SID>.<container>.<TS>.done), legacy ones adopted or reported.
 */
export function readMarkers(c: MarkerContext, datafiles: DatafileRow[]): Map<string, DoneMarker> {
  const done = new Map<string, DoneMarker>();
  const refs = new Map(datafiles.map((d) => [rowKey(d), d]));
  for (const [key, { tablespace: name, container }] of refs) {
    const m = readJsonIfExists<DoneMarker>(c.state.tsDone(name, container));
    if (m) {
      // a marker is trusted for the tablespace it names only
      if (m.tablespace === name && (m.container ?? undefined) === container) done.set(key, m);
      continue;
    }
    if (container !== undefined) continue; // legacy markers predate container databases
    const legacyFile = c.state.legacyTsDone(name);
    const legacy = readJsonIfExists<DoneMarker>(legacyFile);
    if (!legacy) continue;
    if (legacy.tablespace === name && legacyMarkerBelongs(legacy, c.cutoff, datafiles)) {
      const adopted: DoneMarker = { ...legacy, sid: c.sid, dbid: c.dbid };
      writeJsonAtomic(c.state.tsDone(name), adopted);
      fs.rmSync(legacyFile, { force: true });
      done.set(name, adopted);
      c.log.info(`legacy marker ${path.basename(legacyFile)} (unkeyed, from an earlier version) adopted as ${path.basename(c.state.tsDone(name))}: its cutoff SCN and every datafile it lists are this database's`);
    } else {
      c.log.warn(
        `legacy marker ${path.basename(legacyFile)} ignored: it names no database and does not match ${c.sid}'s cutoff SCN and datafiles (another database sharing ${c.state.dir}, or an earlier cycle); ${name} is copied again. Remove the file once no database uses it`,
      );
    }
  }
  return done;
}

/**
 * Datafiles of the database that no current marker covers: the standby controlfile lists them,
 * so a standby without their copy stops at them (ORA-01157 / ORA-01274). Excluded tablespaces
 * are left out by the DBA's choice.
 */
export function uncoveredDatafiles(datafiles: DatafileRow[], markers: ReadonlyMap<string, DoneMarker>, cutoff: bigint, exclude: string[], dbid?: string): DatafileRow[] {
  return datafiles.filter((d) => {
    if (matchesAny(d.tablespace, exclude) || (d.container !== undefined && matchesAny(rowKey(d), exclude))) return false;
    const m = markers.get(rowKey(d));
    if (!m || m.cutoffScn !== cutoff.toString() || (dbid && m.dbid && m.dbid !== dbid)) return true;
    return !m.files.some((f) => f.fileId === d.fileId && f.source === d.path);
  });
}

export function coverageError(files: DatafileRow[]): DrError {
  return new DrError(
    `the consistent point was not recorded: ${files.length} datafile(s) of the database have no copy in this backup cycle (added after their tablespace was copied?):\n` +
      files.map((f) => `  file ${f.fileId} ${f.path} (tablespace ${f.tablespace}${f.container !== undefined ? ` of container ${f.container}` : ''})`).join('\n'),
    {
      hint: 're-run hot_backup_ts: it copies them, then records the consistent point (the standby would stop at them with ORA-01274 or ORA-01157)',
      exitCode: ExitCode.FAILURE,
    },
  );
}

// SQL*Plus RECOVER [AUTOMATIC] [FROM 'dir'] STANDBY DATABASE [UNTIL CHANGE n] on the standby
// instance, as SQL*Plus 19c prints it: for each log ORA-00279 / ORA-00289 / ORA-00280 (and
// ORA-00278 for the log just finished); in manual mode the `Specify log:` prompt before each
// log; in automatic mode the logs under their suggested names, and at the first missing name
// ORA-00308 + ORA-27037 then the prompt. Answers: <RET> (the suggestion), a file name, AUTO,
// CANCEL. One RecoverRun per RECOVER command; the daemon keeps it between prompts.
import path from 'node:path';
import { RecoveryError } from '../instance/apply.ts';
import fs from 'node:fs';
import { readScn } from '../instance/block.ts';
import { createDatafile, readBlock } from '../instance/datafile.ts';
import { convertName, parseConvert, type StandbyFile } from '../instance/standby-files.ts';
import { cannotOpen } from '../recover-logs.ts';
import { type FileCreateRecord, MediaRecovery, needLines, UnnamedFileError } from '../recover-session.ts';
import { OraError } from '../sql/types.ts';
import { f1110, ORA_IDLE, type StandbyInstance } from './instance.ts';
import { archiveDestOf } from './state.ts';

export const PROMPT = 'Specify log: {<RET>=suggested | filename | AUTO | CANCEL}';

export interface RecoverRequest {
  automatic: boolean;
  from?: string;
  standby: boolean;
  untilChange?: number;
  untilCancel?: boolean;
}

/** What the client prints, and whether it must read an answer. `error`: the run ended with an Oracle error (WHENEVER SQLERROR). */
export interface RecoverStep {
  lines: string[];
  prompt: boolean;
  error?: string;
}

export class RecoverRun {
  private m!: MediaRecovery;
  private automatic: boolean;
  private last: string | undefined;
  done = false;

  constructor(private readonly inst: StandbyInstance, private readonly req: RecoverRequest) {
    this.automatic = req.automatic;
  }

  /** Starts recovery: checks, then runs until the first prompt or the end. */
  start(): RecoverStep {
    const inst = this.inst;
    if (inst.state === 'IDLE') throw new OraError(ORA_IDLE);
    if (inst.state === 'STARTED') throw new OraError(['ORA-01507: database not mounted']);
    if (!this.req.standby) throw new OraError(['ORA-01666: control file is for a standby database']);
    if (inst.state === 'OPEN') throw new OraError(['ORA-01126: database must be mounted in this instance and not open in any instance']);
    if (inst.recovering) throw new OraError(['ORA-01153: an incompatible media recovery is active']);
    const unnamed = inst.recoverFiles().find((f) => f.unnamed);
    if (unnamed) {
      return this.end([`ORA-00283: recovery session canceled due to errors`, `ORA-01111: name for data file ${unnamed.file} is unknown - rename to correct file`, f1110(unnamed), `ORA-01157: cannot identify/lock data file ${unnamed.file} - see DBWR trace file`, f1110(unnamed)], true);
    }
    const dir = path.resolve(this.req.from ?? archiveDestOf(inst.s));
    try {
      this.m = new MediaRecovery({
        db: inst.db(), dir, untilChange: this.req.untilChange,
        registered: this.req.from ? undefined : (seq) => inst.s.logs.filter((l) => l.sequence === seq && l.resetlogsId === inst.s.cf.resetlogsId).at(-1)?.name,
        onFileCreate: (rec) => this.fileCreated(rec),
      });
    } catch (e) {
      if (e instanceof RecoveryError) return this.end(['ORA-00283: recovery session canceled due to errors', ...e.lines.filter((l) => !l.startsWith('ORA-00283'))], true);
      throw e;
    }
    inst.recovering = true;
    if (!this.m.files.length) return this.finish(['Media recovery complete.']);
    return this.run([]);
  }

  /** The answer to `Specify log:` (null: end of input, taken as CANCEL). */
  answer(raw: string | null): RecoverStep {
    const a = (raw ?? 'CANCEL').trim();
    if (/^cancel$/i.test(a)) return this.finish(['Media recovery cancelled.']);
    if (/^auto$/i.test(a)) {
      this.automatic = true;
      return this.run([]);
    }
    return this.applyNamed(a === '' ? undefined : a);
  }

  /** Applies the log given at the prompt (or the suggestion); a missing file: ORA-00308 and the prompt again. */
  private applyNamed(file: string | undefined): RecoverStep {
    const out: string[] = [];
    try {
      const log = this.m.open(file);
      if (!log) return { lines: [...cannotOpen(file ?? this.m.name()), '', '', PROMPT], prompt: true };
      // SQL*Plus prints `Log applied.` only before `Media recovery complete.`; otherwise the next ORA-00279 follows
      if (this.applyOne(log)) return this.finish(['Log applied.', 'Media recovery complete.']);
    } catch (e) {
      return this.failed(e, out);
    }
    return this.run(out);
  }

  /** true when UNTIL CHANGE was reached */
  private applyOne(log: NonNullable<ReturnType<MediaRecovery['open']>>): boolean {
    const before = this.m.applied.length;
    const r = this.m.apply(log);
    if (this.m.applied.length > before) {
      this.recordApplied();
      this.last = log.path;
    }
    return r === 'until';
  }

  /** Asks for logs: automatic mode opens them until one is missing; manual mode prompts for each. */
  private run(out: string[]): RecoverStep {
    for (;;) {
      let log;
      try {
        log = this.automatic ? this.m.open() : undefined;
      } catch (e) {
        out.push(...needLines(this.m.suggestion()), ...this.noLongerNeeded());
        return this.failed(e, out);
      }
      out.push(...needLines(this.m.suggestion(log)), ...this.noLongerNeeded());
      if (!this.automatic) return { lines: [...out, '', '', PROMPT], prompt: true };
      if (!log) return { lines: [...out, ...cannotOpen(this.m.name()), '', '', PROMPT], prompt: true };
      try {
        if (this.applyOne(log)) return this.finish([...out, 'Media recovery complete.']);
      } catch (e) {
        return this.failed(e, out);
      }
    }
  }

  private noLongerNeeded(): string[] {
    const l = this.last;
    this.last = undefined;
    return l ? [`ORA-00278: log file '${l}' no longer needed for this recovery`] : [];
  }

  private failed(e: unknown, out: string[]): RecoverStep {
    if (!(e instanceof RecoveryError)) throw e;
    this.m.abort();
    this.inst.recovering = false;
    if (e instanceof UnnamedFileError) this.inst.alert(`File #${e.rec.file} added to control file as 'UNNAMED${String(e.rec.file).padStart(5, '0')}' because the parameter STANDBY_FILE_MANAGEMENT is set to MANUAL\nThe file should be manually created to continue.`);
    const lines = e.lines[0]?.startsWith('ORA-00283') ? e.lines : ['ORA-00283: recovery session canceled due to errors', ...e.lines];
    return this.end([...out, ...lines], true);
  }

  private finish(tail: string[]): RecoverStep {
    this.m.finish();
    this.inst.recovering = false;
    this.inst.alert(`Media Recovery Complete (${this.inst.s.sid}): SCN ${this.m.reached}`);
    return this.end(tail, false);
  }

  private end(lines: string[], error: boolean): RecoverStep {
    this.done = true;
    if (this.m) this.recordNonlogged();
    this.inst.save();
    return { lines, prompt: false, ...(error ? { error: lines.find((l) => /^ORA-/.test(l) && !l.startsWith('ORA-00283')) ?? lines[0] } : {}) };
  }

  /** Blocks the invalidation redo marked (FIRST_NONLOGGED_SCN, V$NONLOGGED_BLOCK): their SCN as written in the block. */
  private recordNonlogged(): void {
    const s = this.inst.s;
    const list = (s.nonlogged ??= []);
    for (const key of this.m.invalidated) {
      const [file, block] = key.split(':').map(Number) as [number, number];
      if (list.some((x) => x.file === file && x.block === block)) continue;
      const f = s.files.find((x) => x.file === file);
      if (!f) continue;
      const fd = fs.openSync(f.name, 'r');
      try {
        list.push({ file, block, scn: readScn(readBlock(fd, block), 12), time: Date.now() });
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  /** V$ARCHIVED_LOG (APPLIED = YES) and V$LOG_HISTORY rows for the log just applied. */
  private recordApplied(): void {
    const a = this.m.applied.at(-1)!;
    const s = this.inst.s;
    const known = s.logs.find((l) => l.sequence === a.sequence && l.name === a.name && l.resetlogsId === s.cf.resetlogsId);
    if (known) known.applied = 'YES';
    else {
      s.logs.push({
        recid: (s.logs.at(-1)?.recid ?? 0) + 1, name: a.name, sequence: a.sequence, firstChange: a.firstChange, nextChange: a.nextChange,
        firstTime: a.firstTime, nextTime: a.nextTime, blocks: 0, resetlogsId: s.cf.resetlogsId, applied: 'YES', registrar: 'SRMN', completionTime: Date.now(),
      });
    }
    s.history = s.history.filter((h) => h.sequence !== a.sequence);
    s.history.push({ sequence: a.sequence, firstChange: a.firstChange, nextChange: a.nextChange, firstTime: a.firstTime, nextTime: a.nextTime });
    s.history.sort((x, y) => x.sequence - y.sequence);
  }

  /**
   * A datafile created on production: with STANDBY_FILE_MANAGEMENT=AUTO it is created under its
   * converted name and recovery goes on; with MANUAL the controlfile gets
   * $ORACLE_HOME/dbs/UNNAMEDnnnnn and recovery stops (ORA-01274).
   */
  private fileCreated(rec: FileCreateRecord): StandbyFile | undefined {
    const s = this.inst.s;
    const base = { file: rec.file, ts: rec.ts, tablespace: rec.tablespace, conId: rec.conId, primaryName: rec.name, blocks: rec.blocks, creationScn: rec.scn, status: 'ONLINE', enabled: 'READ WRITE', recover: true };
    if (s.params.standby_file_management === 'AUTO') {
      const name = convertName(rec.name, parseConvert(s.params.db_file_name_convert));
      createDatafile(name, { file: rec.file, ts: rec.ts, blocks: rec.blocks, dbid: s.cf.dbid, resetlogsId: s.cf.resetlogsId, creationScn: rec.scn, checkpointScn: rec.scn, checkpointTime: Date.now(), fuzzy: false, tablespace: rec.tablespace });
      s.files.push({ ...base, name });
      this.inst.alert(`Recovery created file ${name}\nSuccessfully added datafile ${rec.file} to media recovery`);
      return { file: rec.file, ts: rec.ts, tablespace: rec.tablespace, primaryName: rec.name, path: name, blocks: rec.blocks, creationScn: rec.scn, recover: true, conId: base.conId };
    }
    const name = path.join(s.home, 'dbs', `UNNAMED${String(rec.file).padStart(5, '0')}`);
    s.files.push({ ...base, name, status: 'RECOVER', unnamed: true });
    return undefined;
  }
}

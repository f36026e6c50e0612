// One media recovery session of a standby, log by log: what the offline `sim recover` runs in
// one go and what the standby instance's RECOVER runs between `Specify log:` prompts. Each
// datafile copy starts at its header checkpoint; recovery asks for the sequence its headers
// name, opens a log (the suggested name, or a name the caller gives), checks it is that log
// of this database and complete, applies its records, and asks for the next sequence. A
// backup-fuzzy copy becomes consistent only at the END BACKUP marker of its own window; in
// strict mode an online-fuzzy copy never does. Headers are written when the session ends.
import fs from 'node:fs';
import { type ApplyContext, BlockStore, RecoveryError, applyBlockRecord } from './instance/apply.ts';
import { encodeHeader, type FileHeader } from './instance/block.ts';
import { readHeaderAt } from './instance/datafile.ts';
import { RecType, type RedoRecord } from './instance/redo-format.ts';
import type { StandbyDb, StandbyFile } from './instance/standby-files.ts';
import { checkDatafiles, f1110 } from './recover-files.ts';
import { corruptionLines, fmtTime, type LogIdentity, openArchivedLog, openLogFile, type OpenedLog, suggestedName } from './recover-logs.ts';

export type FileCreateRecord = Extract<RedoRecord, { type: RecType.FileCreate }>;

/** Recovery stopped at a file created on production that the standby controlfile does not name. */
export class UnnamedFileError extends RecoveryError {
  constructor(readonly rec: FileCreateRecord) {
    super(['ORA-00283: recovery session canceled due to errors', `ORA-01274: cannot add data file that was originally created as '${rec.name}'`]);
  }
}

export interface SessionOptions {
  db: StandbyDb;
  /** where the suggested names are: the FROM directory or the standby's LOG_ARCHIVE_DEST */
  dir: string;
  /** RECOVER ... UNTIL CHANGE n: redo at n and above is not applied */
  untilChange?: number;
  /** a name the standby controlfile holds for a sequence (REGISTER LOGFILE, CATALOG): suggested instead of the format's name */
  registered?(sequence: number): string | undefined;
  /** a file created on production the standby does not know: its new entry (STANDBY_FILE_MANAGEMENT=AUTO) or undefined (MANUAL: stop) */
  onFileCreate?(rec: FileCreateRecord): StandbyFile | undefined;
}

interface FileState {
  header: FileHeader;
  start: number;
  backupFuzzy: boolean;
  onlineFuzzy: boolean;
}

export interface Suggestion {
  sequence: number;
  scn: number;
  time: number;
  name: string;
}

export interface AppliedLog {
  sequence: number;
  name: string;
  firstChange: number;
  nextChange: number;
  firstTime: number;
  nextTime: number;
}

/** ORA-00279 / ORA-00289 / ORA-00280: the log recovery asks for. */
export function needLines(s: Suggestion): string[] {
  return [
    `ORA-00279: change ${s.scn} generated at ${fmtTime(s.time)} needed for thread 1`,
    `ORA-00289: suggestion : ${s.name}`,
    `ORA-00280: change ${s.scn} for thread 1 is in sequence #${s.sequence}`,
  ];
}

export class MediaRecovery {
  readonly id: LogIdentity;
  readonly files: StandbyFile[];
  sequence = 0;
  reached = 0;
  readonly applied: AppliedLog[] = [];
  readonly invalidated = new Set<string>();
  private readonly state = new Map<number, FileState>();
  private readonly byFile: Map<number, StandbyFile>;
  private readonly store: BlockStore;
  private low = 0;

  /** Checks every datafile (throws RecoveryError: ORA-01157, ORA-01122 ...) and finds the first sequence. */
  constructor(private readonly o: SessionOptions) {
    const db = o.db;
    const headers = checkDatafiles(db);
    this.files = db.files.filter((f) => f.recover);
    this.byFile = new Map(db.files.map((f) => [f.file, f]));
    for (const f of this.files) this.track(f, headers.get(f.file)!);
    this.id = { dir: o.dir, format: db.logArchiveFormat, dbid: db.dbid, resetlogsId: db.resetlogsId, thread: 1 };
    this.store = new BlockStore((f) => this.byFile.get(f)!.path);
    if (!this.files.length) return;
    const starts = [...this.state.values()];
    this.low = Math.min(...starts.map((s) => s.start));
    const hint = Math.min(...starts.filter((s) => s.start === this.low).map((s) => s.header.checkpointSeq || Infinity));
    this.reached = this.low;
    this.sequence = this.firstSequence(Number.isFinite(hint) ? hint : 0);
  }

  private track(f: StandbyFile, h: FileHeader): void {
    this.state.set(f.file, { header: h, start: h.checkpointScn, backupFuzzy: h.fuzzy, onlineFuzzy: h.onlineFuzzy === true });
  }

  /** The name recovery suggests for the current sequence (ORA-00289). */
  name(sequence = this.sequence): string {
    return this.o.registered?.(sequence) ?? suggestedName(this.id, sequence);
  }

  /** The sequence to ask for first: the one the lowest header checkpoint names, past logs known to end below it. */
  private firstSequence(hint: number): number {
    const db = this.o.db;
    const low = this.low;
    let seq = hint || (db.history.find((h) => h.firstChange <= low && low < h.nextChange)?.sequence ?? (db.history.at(-1)?.sequence ?? 0) + 1);
    for (;;) {
      // the header names the log that was current at its checkpoint; a log switch right after
      // it puts the checkpoint SCN at the start of the next log, and the earlier one is not needed
      const known = db.history.find((h) => h.sequence === seq);
      if (known && known.nextChange <= low) {
        seq++;
        continue;
      }
      if (!fs.existsSync(this.name(seq))) {
        let next: OpenedLog | undefined;
        try {
          next = this.openAt(seq + 1);
        } catch {
          next = undefined;
        }
        if (next && next.header.firstChange <= low) {
          seq++;
          continue;
        }
      }
      return seq;
    }
  }

  private openAt(sequence: number, file?: string): OpenedLog | undefined {
    const name = file ?? this.name(sequence);
    return name === suggestedName(this.id, sequence) ? openArchivedLog(this.id, sequence) : openLogFile(this.id, sequence, name);
  }

  /**
   * Opens the log of the current sequence (the suggested name, or `file`): undefined when no
   * such file exists; RecoveryError when it is not that log (ORA-00310, ORA-00309, ORA-00332 ...).
   */
  open(file?: string): OpenedLog | undefined {
    return this.openAt(this.sequence, file);
  }

  suggestion(log?: OpenedLog): Suggestion {
    const known = this.o.db.history.find((h) => h.sequence === this.sequence) as { firstTime?: number } | undefined;
    // a log not shipped yet: the change needed is the first after the previous log, made at its NEXT_TIME
    const previous = this.applied.find((a) => a.sequence === this.sequence - 1) ?? (this.o.db.history.find((h) => h.sequence === this.sequence - 1) as { nextTime?: number } | undefined);
    return {
      sequence: this.sequence,
      scn: log ? Math.max(this.reached, log.header.firstChange) : this.reached,
      time: log?.header.firstTime || known?.firstTime || previous?.nextTime || Date.now(),
      name: this.name(),
    };
  }

  /** Applies one log (opened by open()); 'until' when UNTIL CHANGE was reached inside it. Throws RecoveryError. */
  apply(log: OpenedLog): 'applied' | 'until' {
    const until = this.o.untilChange;
    let lastScn = log.header.firstChange;
    const ctx: ApplyContext = {
      store: this.store, fileName: (f) => this.byFile.get(f)!.path, tablespace: (f) => this.byFile.get(f)!.tablespace, invalidated: this.invalidated,
    };
    for (const r of log.redo.records) {
      if (until !== undefined && r.scn >= until) {
        this.reached = Math.max(this.reached, until);
        return 'until';
      }
      lastScn = r.scn;
      if (r.type === RecType.FileCreate) {
        if (!this.byFile.has(r.file)) {
          const added = this.o.onFileCreate?.(r);
          if (!added) throw new UnnamedFileError(r);
          this.byFile.set(added.file, added);
          this.files.push(added);
          this.track(added, readHeaderAt(added.path)!);
        }
        continue;
      }
      const st = this.state.get(r.file);
      if (!st || r.scn < st.start) continue;
      if (r.type === RecType.EndBackup) {
        // the marker ends the backup window that began at beginScn: it makes consistent only a copy frozen at that window's start
        if (st.backupFuzzy && r.beginScn === st.header.backupScn) st.backupFuzzy = st.onlineFuzzy = false;
      } else applyBlockRecord(r, ctx);
    }
    if (log.redo.damage) throw new RecoveryError(corruptionLines(log, lastScn));
    this.applied.push({
      sequence: this.sequence, name: log.path, firstChange: log.header.firstChange, nextChange: log.header.nextChange,
      firstTime: log.header.firstTime, nextTime: log.header.nextTime,
    });
    this.reached = Math.max(this.reached, log.header.nextChange);
    if (until !== undefined && this.reached >= until) {
      this.reached = until;
      this.sequence++;
      return 'until';
    }
    this.sequence++;
    return 'applied';
  }

  /** After an error: the blocks written so far stay, the headers keep their checkpoint (the next session starts there again). */
  abort(): void {
    this.store.flush();
    this.store.close();
  }

  /** Ends the session: headers advance to the SCN reached, fuzziness stays until cleared by the file's own END BACKUP marker. */
  finish(): void {
    this.store.flush();
    const now = Date.now();
    for (const f of this.files) {
      const st = this.state.get(f.file)!;
      const h = st.header;
      const checkpointScn = Math.max(h.checkpointScn, this.reached);
      fs.writeSync(this.store.fd(f.file), encodeHeader({
        ...h, checkpointScn, checkpointTime: now, checkpointSeq: checkpointScn > h.checkpointScn ? this.sequence : h.checkpointSeq,
        fuzzy: st.backupFuzzy, backupScn: st.backupFuzzy ? h.backupScn : 0, onlineFuzzy: st.onlineFuzzy && (this.o.db.strict || st.backupFuzzy),
      }), 0, 8192, 8192);
    }
    this.store.close();
  }

  /** Why the recovered files would not open: a copy still backup fuzzy, (strict) online fuzzy, or ahead of the redo applied. */
  problem(): string[] | undefined {
    const rec = this.files;
    const state = this.state;
    const backup = rec.find((f) => state.get(f.file)!.backupFuzzy);
    if (backup) return [`ORA-01195: online backup of file ${backup.file} needs more recovery to be consistent`, f1110(backup)];
    const online = this.o.db.strict ? rec.find((f) => state.get(f.file)!.onlineFuzzy) : undefined;
    if (online) {
      return [
        `ORA-01194: file ${online.file} needs more recovery to be consistent`,
        f1110(online),
        `(sim strict: file ${online.file} was copied while the database was open and the file was not in backup mode (header online fuzzy at checkpoint SCN ${state.get(online.file)!.start}); no END BACKUP marker can make this copy consistent: copy it again between BEGIN BACKUP and END BACKUP)`,
      ];
    }
    const ahead = rec.find((f) => state.get(f.file)!.start > this.reached);
    if (ahead) return [`ORA-01194: file ${ahead.file} needs more recovery to be consistent`, f1110(ahead)];
    return undefined;
  }
}

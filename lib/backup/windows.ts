// Backup windows, one per tablespace: BEGIN BACKUP before its first file is read, END BACKUP
// as soon as its last file has been read, BEGIN again if a file must be copied once more.
// - Every BEGIN is recorded in the in-flight state file *before* it is issued, so a run killed
//   with -9 leaves a trace the next run uses to end or resume that window (never to forget it).
//   Only windows recorded there are ever resumed or ended: one someone else opened (a DBA's
//   BEGIN BACKUP, a storage snapshot script) is refused, named, and left alone.
// - Right before each copy the tablespace's status and V$BACKUP are read again: the plan may be
//   minutes old (READ ONLY since made READ WRITE, a window ended by someone else ...).
// - A BEGIN BACKUP that timed out may still complete in the database: it is ended at the end of
//   the run if it did, and otherwise stays in the in-flight file for the next run.
import { OracleError, PreconditionError } from '../errors.ts';
import type { Database } from '../db/database.ts';
import { SessionLostError, StatementTimeoutError } from '../db/errors.ts';
import type { Logger } from '../log.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';
import { noWindowReason, refOf, type TsRef } from './containers.ts';
import { foreignWindowError, type BackupFileStatus, type TablespacePlan } from './plan.ts';

/** The statement as a DBA would type it: inside its container in a CDB. */
function statement(ref: TsRef, action: 'BEGIN' | 'END'): string {
  return `${ref.container !== undefined ? `ALTER SESSION SET CONTAINER = "${ref.container}"; ` : ''}ALTER TABLESPACE "${ref.tablespace}" ${action} BACKUP`;
}

export class Windows {
  private open = new Set<string>();
  /** BEGIN BACKUP sent but not answered (timeout, session lost): it may have taken effect. */
  private uncertain = new Set<string>();
  /** SCN at which each file's current window began (V$BACKUP.CHANGE#): its copy's header SCN. */
  readonly windowScn = new Map<number, bigint>();
  private pending = new Map<string, Promise<void>>();
  /** Tablespaces whose copy without backup mode has been explained in their log. */
  private said = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly inflightFile: string,
    private readonly cutoff: bigint,
    private readonly log: Logger,
    private readonly tsLog: (ts: string) => Logger,
    /** Container database: keys are container/tablespace, and windows open inside their container. */
    private readonly cdb = false,
  ) {}

  private ref(key: string): TsRef {
    return refOf(key, this.cdb);
  }

  static readInflight(file: string): string[] {
    return readJsonIfExists<{ tablespaces: string[] }>(file)?.tablespaces ?? [];
  }

  private saveInflight(add?: string, remove?: string): void {
    const set = new Set(Windows.readInflight(this.inflightFile));
    // since: when each tablespace entered backup mode, for status and alerts (a window left open too long)
    const since = { ...(readJsonIfExists<{ since?: Record<string, string> }>(this.inflightFile)?.since ?? {}) };
    if (add) {
      set.add(add);
      since[add] ??= new Date().toISOString();
    }
    if (remove) set.delete(remove);
    for (const ts of Object.keys(since)) if (!set.has(ts)) delete since[ts];
    writeJsonAtomic(this.inflightFile, { tablespaces: [...set].sort(), since });
  }

  isOpen(ts: string): boolean {
    return this.open.has(ts);
  }

  openTablespaces(): string[] {
    return [...this.open];
  }

  /** Serialises window operations per tablespace. */
  private once(ts: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.pending.get(ts) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.pending.set(ts, next.catch(() => undefined));
    return next;
  }

  /** Makes sure `p` may be read now: in a window of ours begun after the cutoff, or needing none. Decided on what the database says now. */
  ensure(p: TablespacePlan): Promise<void> {
    return this.once(p.name, async () => {
      const tl = this.tsLog(p.name);
      const ids = new Set(p.files.map((f) => f.fileId));
      const ref = this.ref(p.name);
      if (ref.container !== undefined && !this.open.has(p.name)) {
        // The container's open mode now: closed or opened since the plan was made?
        const k = (await this.db.containers()).find((x) => x.name === ref.container);
        if (!k) throw new PreconditionError(`container ${ref.container} no longer exists (dropped or unplugged during the backup?)`, 're-run hot_backup_ts: the plan is made again');
        const why = noWindowReason(k.name, k.openMode);
        if (why !== undefined) {
          if (p.noWindowReason !== why || !this.said.has(p.name)) tl.info(why);
          this.said.add(p.name);
          p.window = 'none';
          p.noWindowReason = why;
          return;
        }
        if (p.noWindowReason !== undefined) {
          tl.info(`container ${k.name} is READ WRITE now (planned ${p.noWindowReason.includes('MOUNTED') ? 'MOUNTED' : 'READ ONLY'}): its files are copied inside a backup window`);
          p.noWindowReason = undefined;
          if (p.window === 'none') p.window = 'begin';
        }
      }
      const [tsStatus, all] = await Promise.all([this.db.tablespaceStatus(ref.tablespace, ref.container), this.db.backupStatus()]);
      const files = all.filter((b) => ids.has(b.fileId));
      const active = files.filter((b) => b.active);
      if (this.open.has(p.name)) {
        if (active.length !== ids.size) {
          throw new PreconditionError(
            `backup mode of tablespace ${p.name} was ended by someone else while it was being copied (V$BACKUP NOT ACTIVE for file(s) ${files.filter((b) => !b.active).map((b) => b.fileId).join(', ')}): its copies cannot be certified`,
            're-run hot_backup_ts: the tablespace is copied again in a new window; find out what ends backup windows (ALTER DATABASE END BACKUP in a script?)',
          );
        }
        return;
      }
      if (tsStatus === undefined) throw new PreconditionError(`tablespace ${p.name} no longer exists (dropped during the backup?)`, 're-run hot_backup_ts: the plan is made again');
      if (tsStatus === 'READ ONLY' || tsStatus === 'OFFLINE') {
        if (p.window !== 'none') tl.info(`tablespace is ${tsStatus} now (planned a backup window): it is copied without backup mode`);
        p.window = 'none';
        return;
      }
      if (p.window === 'none') tl.info(`tablespace is ${tsStatus === 'ONLINE' ? 'READ WRITE' : tsStatus} now (planned READ ONLY): it is copied inside a backup window`);
      if (active.length) {
        if (!Windows.readInflight(this.inflightFile).includes(p.name)) {
          throw foreignWindowError([{ tablespace: p.name, files: active.map((b) => ({ fileId: b.fileId, path: p.files.find((f) => f.fileId === b.fileId)!.source, sinceScn: b.changeScn })) }], this.inflightFile);
        }
        if (active.length === ids.size && active.every((b) => b.changeScn >= this.cutoff)) return this.resume(p, files);
        const msg = 'files were left in backup mode by an interrupted run (window older than the cutoff, or partial): ending it and starting a new one';
        tl.warn(msg);
        this.log.warn(`tablespace ${p.name}: ${msg}`);
        await this.end(p.name, true);
      } else if (p.window === 'resume' || p.window === 'restart') {
        tl.info('the backup window left by an interrupted run was ended since (V$BACKUP NOT ACTIVE): beginning a new one');
      }
      await this.begin(p, ids);
    });
  }

  /**
   * For a tablespace copied without backup mode because its container was not open READ WRITE:
   * why the copy cannot count when the container was opened READ WRITE (or dropped) meanwhile.
   */
  async openedDuringCopy(p: TablespacePlan): Promise<string | undefined> {
    if (p.window !== 'none' || p.noWindowReason === undefined) return undefined;
    const { container } = this.ref(p.name);
    const k = (await this.db.containers()).find((x) => x.name === container);
    if (k && k.openMode !== 'READ WRITE') return undefined;
    return `container ${container} ${k ? 'was opened READ WRITE' : 'was dropped'} while its files were copied without backup mode: the copy may be inconsistent and does not count (the next run copies it inside a backup window)`;
  }

  private resume(p: TablespacePlan, files: BackupFileStatus[]): void {
    p.window = 'begin'; // a later window, if one is needed, starts normally
    this.open.add(p.name);
    this.uncertain.delete(p.name);
    for (const b of files) this.windowScn.set(b.fileId, b.changeScn);
    const msg = `resuming inside the backup window left open by an interrupted run (V$BACKUP ACTIVE since after cutoff SCN ${this.cutoff})`;
    this.tsLog(p.name).info(msg);
    this.log.warn(`tablespace ${p.name}: ${msg}`);
  }

  private async begin(p: TablespacePlan, ids: Set<number>): Promise<void> {
    const tl = this.tsLog(p.name);
    p.window = 'begin';
    this.saveInflight(p.name);
    const ref = this.ref(p.name);
    tl.info(statement(ref, 'BEGIN'));
    try {
      await this.db.beginBackup(ref.tablespace, ref.container);
    } catch (err) {
      if (err instanceof StatementTimeoutError || (err instanceof SessionLostError && !err.notSent)) this.uncertain.add(p.name);
      else this.saveInflight(undefined, p.name); // refused: nothing of ours is in backup mode
      throw err;
    }
    this.open.add(p.name);
    const status = (await this.db.backupStatus()).filter((b) => ids.has(b.fileId));
    const bad = status.filter((b) => !b.active || b.changeScn < this.cutoff);
    if (bad.length || status.length !== ids.size) {
      throw new OracleError(
        `tablespace ${p.name} is not in a usable backup window after BEGIN BACKUP (files ${bad.map((b) => b.fileId).join(', ') || 'missing from V$BACKUP'})`,
        [],
        `V$BACKUP must show every file ACTIVE with CHANGE# >= the cutoff SCN ${this.cutoff}`,
      );
    }
    for (const b of status) this.windowScn.set(b.fileId, b.changeScn);
    tl.info(`backup window open: header SCN frozen at ${status[0]?.changeScn ?? '?'} (cutoff ${this.cutoff})`);
  }

  /**
   * END BACKUP for `ts`. With `tolerateNone`, ORA-01142 (none of the files in backup) is fine;
   * with `keepIfNone` the in-flight entry then stays (a BEGIN that may still complete).
   */
  private async end(ts: string, tolerateNone: boolean, keepIfNone = false): Promise<void> {
    const tl = this.tsLog(ts);
    const ref = this.ref(ts);
    tl.info(statement(ref, 'END'));
    let none = false;
    try {
      await this.db.endBackup(ref.tablespace, ref.container);
    } catch (err) {
      if (!(tolerateNone && err instanceof OracleError && err.codes.includes(1142))) throw err;
      none = true;
      tl.info('no file of this tablespace was in backup mode (ORA-01142): nothing to end');
    }
    this.open.delete(ts);
    this.uncertain.delete(ts);
    if (!(none && keepIfNone)) this.saveInflight(undefined, ts);
  }

  close(ts: string): Promise<void> {
    return this.once(ts, async () => {
      if (this.open.has(ts)) await this.end(ts, false);
    });
  }

  /** Ends a window this tool left open in an earlier run for a tablespace it has no work for. */
  closeStray(ts: string): Promise<void> {
    return this.once(ts, () => this.end(ts, true));
  }

  /** Ends every open window (and any BEGIN that did not answer); reports each failure and keeps going. Returns the tablespaces it could not end. */
  async closeAll(): Promise<string[]> {
    const failed: string[] = [];
    for (const ts of [...this.open]) {
      try {
        await this.close(ts);
      } catch (err) {
        failed.push(ts);
        this.log.error(`END BACKUP failed for tablespace ${ts}: ${(err as Error).message}`);
      }
    }
    for (const ts of [...this.uncertain]) {
      try {
        await this.once(ts, () => this.end(ts, true, true));
        if (Windows.readInflight(this.inflightFile).includes(ts)) {
          this.log.warn(`tablespace ${ts}: its BEGIN BACKUP did not answer and nothing is in backup mode now; it stays in ${this.inflightFile}, so the next run ends or resumes the window if the statement completes later`);
        }
      } catch (err) {
        failed.push(ts);
        this.log.error(`END BACKUP failed for tablespace ${ts}: ${(err as Error).message}`);
      }
    }
    return failed;
  }
}

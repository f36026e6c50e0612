// Backup windows, one per tablespace: BEGIN BACKUP before its first file is read, END BACKUP
// as soon as its last file has been read, BEGIN again if a file must be copied once more.
// Every BEGIN is recorded in the in-flight state file *before* it is issued, so a run killed
// with -9 leaves a trace the next run uses to end or resume that window (never to forget it).
import { OracleError } from '../errors.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { readJsonIfExists, writeJsonAtomic } from '../state.ts';
import type { TablespacePlan } from './plan.ts';

export class Windows {
  private open = new Set<string>();
  /** SCN at which each file's current window began (V$BACKUP.CHANGE#): its copy's header SCN. */
  readonly windowScn = new Map<number, bigint>();
  private pending = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly inflightFile: string,
    private readonly cutoff: bigint,
    private readonly log: Logger,
    private readonly tsLog: (ts: string) => Logger,
  ) {}

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

  /** Makes sure `ts` may be read now: in backup mode since after the cutoff (or needs none). */
  ensure(p: TablespacePlan): Promise<void> {
    return this.once(p.name, async () => {
      if (p.window === 'none' || this.open.has(p.name)) return;
      const tl = this.tsLog(p.name);
      if (p.window === 'resume') {
        p.window = 'begin'; // a later window, if one is needed, starts normally
        this.saveInflight(p.name);
        this.open.add(p.name);
        const ids = new Set(p.files.map((f) => f.fileId));
        for (const b of await this.db.backupStatus()) if (ids.has(b.fileId)) this.windowScn.set(b.fileId, b.changeScn);
        const msg = `resuming inside the backup window left open by an interrupted run (V$BACKUP ACTIVE since after cutoff SCN ${this.cutoff})`;
        tl.info(msg);
        this.log.warn(`tablespace ${p.name}: ${msg}`);
        return;
      }
      if (p.window === 'restart') {
        p.window = 'begin';
        const msg = 'files were left in backup mode by an interrupted run (window older than the cutoff, or partial): ending it and starting a new one';
        tl.warn(msg);
        this.log.warn(`tablespace ${p.name}: ${msg}`);
        await this.end(p.name, true);
      }
      this.saveInflight(p.name);
      tl.info(`ALTER TABLESPACE "${p.name}" BEGIN BACKUP`);
      await this.db.beginBackup(p.name);
      this.open.add(p.name);
      const ids = new Set(p.files.map((f) => f.fileId));
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
    });
  }

  /** END BACKUP for `ts`. With `tolerateNone`, ORA-01142 (none of the files in backup) is fine. */
  private async end(ts: string, tolerateNone: boolean): Promise<void> {
    const tl = this.tsLog(ts);
    tl.info(`ALTER TABLESPACE "${ts}" END BACKUP`);
    try {
      await this.db.endBackup(ts);
    } catch (err) {
      if (!(tolerateNone && err instanceof OracleError && err.codes.includes(1142))) throw err;
      tl.info('no file of this tablespace was in backup mode (ORA-01142): nothing to end');
    }
    this.open.delete(ts);
    this.saveInflight(undefined, ts);
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

  /** Ends every open window; reports each failure and keeps going. Returns the tablespaces it could not end. */
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
    return failed;
  }
}

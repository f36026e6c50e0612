// The running instance: control data, buffer cache + DBWR, LGWR, CKPT, ARCn.
// Single-threaded: a change (SCN, buffer, truth journal, redo) happens atomically.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OraError } from '../sql/types.ts';
import { Archiver } from './arch.ts';
import { readScn } from './block.ts';
import { BufferCache } from './cache.ts';
import { type Control, type Datafile, type LogGroup, loadControl, saveControl, tablespaceOf } from './control.ts';
import { applyChange, writeHeader } from './datafile.ts';
import { conOf, containerWritable } from './containers.ts';
import { encodeTruth, TruthWriter } from './journal.ts';
import { encodeRecord, RecType, type RedoRecord } from './redo-format.ts';
import { initOnlineLog, LogWriter } from './redo-io.ts';

/** STARTED = NOMOUNT (instance up, controlfile not read) */
export type InstanceState = 'IDLE' | 'STARTED' | 'MOUNTED' | 'OPEN';

export class Instance {
  c: Control;
  state: InstanceState = 'IDLE';
  startupTime = Date.now();
  cache: BufferCache;
  lw: LogWriter | undefined;
  truth: TruthWriter | undefined;
  arch: Archiver;
  /** blocks already logged as a full image since their file entered backup mode */
  imaged = new Map<number, Set<number>>();
  private switching: Promise<number> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private headerDue = new Set<number>();
  redoBlockedSince = 0;
  /** bumped whenever the set of files DBWR writes changes (READ ONLY, OFFLINE, PDB open/close, new file) */
  liveGeneration = 0;

  constructor(readonly dir: string) {
    this.c = loadControl(dir);
    this.cache = new BufferCache((f) => this.datafile(f).name);
    const self = this;
    this.arch = new Archiver({ get c() { return self.c; }, alert: (l) => this.alert(l), save: () => this.save(), running: () => this.state === 'OPEN' });
  }

  alert(line: string): void {
    fs.appendFileSync(path.join(this.dir, `alert_${this.c.sid}.log`), `${new Date().toISOString()}\n${line}\n`);
  }

  save(): void {
    saveControl(this.dir, this.c);
  }

  datafile(file: number): Datafile {
    const d = this.c.datafiles.find((x) => x.file === file);
    if (!d) throw new Error(`internal: no datafile ${file}`);
    return d;
  }

  current(): LogGroup {
    return this.c.logs.find((g) => g.status === 'CURRENT')!;
  }

  /** Files DBWR/CKPT look after: online, read-write, in a container open READ WRITE (not PDB$SEED, not a MOUNTED PDB). */
  liveFiles(): Datafile[] {
    return this.c.datafiles.filter((d) => d.status !== 'OFFLINE' && d.enabled === 'READ WRITE' && containerWritable(this.c, conOf(d)));
  }

  isOpen(): boolean {
    return this.state === 'OPEN';
  }

  startBackground(): void {
    this.timers.push(setInterval(() => this.cache.lazyWrite(), 100));
    this.timers.push(setInterval(() => this.ckptTick(), 1000));
    this.timers.push(setInterval(() => this.save(), 2000));
    for (const g of this.c.logs) if (g.status === 'ACTIVE' && !g.archived && this.c.logMode === 'ARCHIVELOG') this.arch.enqueue(g);
  }

  stopBackground(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  openRedo(startAt: number): void {
    this.lw = new LogWriter(this.current().members[0]!, startAt);
    this.truth = new TruthWriter(this.dir);
  }

  closeFiles(): void {
    this.lw?.close();
    this.truth?.close();
    this.cache.closeFds();
    this.lw = this.truth = undefined;
  }

  // ---- redo generation -----------------------------------------------------------------
  spaceLeft(): number {
    return this.switching || !this.lw ? 0 : this.c.logSize - this.lw.used;
  }

  /** Waits until `bytes` of redo fit into the current log (switching logs as needed). */
  async redoSpace(bytes: number): Promise<void> {
    for (;;) {
      if (this.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
      if (this.switching) await this.switching.catch(() => undefined);
      else if (this.spaceLeft() >= bytes) return;
      else await this.switchLog('LGWR switch');
    }
  }

  /**
   * Makes one change to a data block in the buffer cache and returns its redo record and
   * truth record (the caller writes journal then redo, synchronously). NOLOGGING changes
   * log only an invalidation.
   */
  change(file: number, block: number, offset: number, data: Buffer, nologging = false): { redo: Buffer; truth: Buffer; scn: number } {
    const d = this.datafile(file);
    const e = this.cache.get(file, block);
    const prior = readScn(e.buf, 12);
    const scn = ++this.c.scn;
    applyChange(e.buf, scn, offset, data);
    this.cache.markDirty(e, scn);
    this.headerDue.add(file);
    let rec: RedoRecord;
    // a direct-path change into a NOLOGGING object writes only an invalidation record, unless the
    // database or the tablespace forces logging; UNRECOVERABLE_CHANGE# moves only in ARCHIVELOG mode
    if (nologging && !this.c.forceLogging && tablespaceOf(this.c, d.ts, d.conId).forceLogging !== true) {
      rec = { type: RecType.Invalidate, scn, file, block, count: 1 };
      if (this.c.logMode === 'ARCHIVELOG') {
        d.unrecoverableScn = scn;
        d.unrecoverableTime = Date.now();
      }
    } else if (d.backup.active && !this.imaged.get(file)?.has(block)) {
      let s = this.imaged.get(file);
      if (!s) this.imaged.set(file, (s = new Set()));
      s.add(block);
      rec = { type: RecType.Full, scn, file, block, image: Buffer.from(e.buf) };
    } else {
      rec = { type: RecType.Delta, scn, file, block, prior, offset, data };
    }
    return { redo: encodeRecord(rec), truth: encodeTruth({ scn, file, block, offset, data }), scn };
  }

  commit(redo: Buffer[], truth: Buffer[]): void {
    this.truth!.write(truth);
    this.lw!.write(redo);
  }

  /** Writes a marker / structural record (END BACKUP, file creation) once space is available. */
  async logRecord(make: (scn: number) => RedoRecord): Promise<number> {
    await this.redoSpace(8192);
    const scn = ++this.c.scn;
    this.lw!.write([encodeRecord(make(scn))]);
    return scn;
  }

  // ---- log switch ------------------------------------------------------------------------
  private reusable(g: LogGroup): boolean {
    if (g.status === 'UNUSED') return true;
    return g.status === 'INACTIVE' && (g.archived || this.c.logMode === 'NOARCHIVELOG');
  }

  /** Switches to the next group; waits for checkpoint / archiving of it first. Returns the sequence switched out. */
  switchLog(reason: string): Promise<number> {
    if (this.switching) return this.switching;
    this.switching = this.doSwitch(reason).finally(() => (this.switching = null));
    return this.switching;
  }

  private async doSwitch(reason: string): Promise<number> {
    const cur = this.current();
    const next = this.c.logs[(this.c.logs.indexOf(cur) + 1) % this.c.logs.length]!;
    let waited = 0;
    while (!this.reusable(next)) {
      if (this.state !== 'OPEN') throw new OraError(['ORA-01109: database not open']);
      if (next.status === 'ACTIVE') void this.checkpoint();
      if (waited === 0) {
        this.redoBlockedSince = Date.now();
        this.alert(next.status === 'ACTIVE' && next.archived ? `Thread 1 cannot allocate new log, sequence ${cur.sequence + 1}\nCheckpoint not complete` : `Thread 1 cannot allocate new log, sequence ${cur.sequence + 1}\nAll online logs need archiving`);
      }
      waited++;
      await sleep(20);
    }
    this.redoBlockedSince = 0;
    const now = Date.now();
    const s = ++this.c.scn;
    cur.nextChange = s;
    cur.nextTime = now;
    cur.status = 'ACTIVE';
    cur.archived = false;
    this.lw?.close();
    Object.assign(next, { sequence: cur.sequence + 1, firstChange: s, firstTime: now, nextChange: null, nextTime: null, status: 'CURRENT', archived: false });
    initOnlineLog(this.c, next);
    this.lw = new LogWriter(next.members[0]!);
    this.save();
    this.alert(`Thread 1 advanced to log sequence ${next.sequence} (${reason})\n  Current log# ${next.group} seq# ${next.sequence} mem# 0: ${next.members[0]}`);
    if (this.c.logMode === 'ARCHIVELOG') this.arch.enqueue(cur);
    void this.checkpoint().catch(() => undefined);
    return cur.sequence;
  }

  // ---- checkpoints -----------------------------------------------------------------------
  /** Re-reads the dirty state: advances realCheckpointScn, headers of files not in backup mode, log statuses. */
  updateCheckpoints(headerFiles: Datafile[] = this.liveFiles(), forceHeader = false): void {
    const now = Date.now();
    const live = this.liveFiles();
    for (const d of live) d.realCheckpointScn = this.cache.checkpointOf(d.file, this.c.scn + 1);
    for (const d of headerFiles) {
      if (d.backup.active || d.status === 'OFFLINE' || d.enabled !== 'READ WRITE') continue;
      if (forceHeader || d.checkpointScn !== d.realCheckpointScn) {
        d.checkpointScn = d.realCheckpointScn;
        d.checkpointTime = now;
        this.writeFileHeader(d);
      }
      this.headerDue.delete(d.file);
    }
    const low = live.length ? Math.min(...live.map((d) => d.realCheckpointScn)) : this.c.scn + 1;
    for (const g of this.c.logs) if (g.status === 'ACTIVE' && g.nextChange !== null && g.nextChange <= low) g.status = 'INACTIVE';
  }

  /** Writes a file's header: backup fuzzy (with the window's begin SCN) in backup mode, online fuzzy while the file is open read-write. */
  writeFileHeader(d: Datafile): void {
    const open = this.state === 'OPEN' && d.status !== 'OFFLINE' && d.enabled === 'READ WRITE' && containerWritable(this.c, conOf(d));
    writeHeader(this.cache.fd(d.file), {
      file: d.file, ts: d.ts, blocks: d.blocks, dbid: this.c.dbid, resetlogsId: this.c.resetlogsId, creationScn: d.creationScn,
      checkpointScn: d.checkpointScn, checkpointTime: d.checkpointTime, fuzzy: d.backup.active, tablespace: tablespaceOf(this.c, d.ts, d.conId).name,
      onlineFuzzy: open, backupScn: d.backup.active ? (d.backup.change ?? d.checkpointScn) : 0, checkpointSeq: this.sequenceAt(d.checkpointScn),
    });
  }

  /** The log sequence holding redo at `scn` (the checkpoint RBA's sequence). */
  sequenceAt(scn: number): number {
    const g = this.c.logs.find((x) => x.sequence > 0 && x.firstChange <= scn && (x.nextChange === null || scn < x.nextChange));
    if (g) return g.sequence;
    const a = this.c.archivedLogs.find((x) => x.resetlogsId === this.c.resetlogsId && x.firstChange <= scn && scn < x.nextChange);
    return a?.sequence ?? this.current().sequence;
  }

  private ckptTick(): void {
    if (this.state !== 'OPEN') return;
    // incremental checkpoint: header checkpoints only every ~few seconds per file, like Oracle's
    this.updateCheckpoints(this.liveFiles().filter((d) => this.headerDue.has(d.file) && Math.random() < 0.34));
  }

  /** Full checkpoint of the given files (all live files by default). */
  async checkpoint(files: Datafile[] = this.liveFiles()): Promise<void> {
    const target = this.c.scn + 1;
    await this.cache.flush(new Set(files.map((d) => d.file)), target);
    this.updateCheckpoints(files, true);
    this.save();
  }
}

// Buffer cache and DBWR. Changed blocks stay dirty in memory; DBWR writes them lazily,
// each in two halves with a gap (a concurrent reader can copy a fractured block), and a
// forced-fracture fault can hold a write after its first half until released.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BLOCK_SIZE, HALF, readScn } from './block.ts';
import { readBlock } from './datafile.ts';

export interface CacheEntry {
  file: number;
  block: number;
  buf: Buffer;
  dirty: boolean;
  firstDirty: number; // SCN of the oldest change not yet on disk
  dirtySince: number; // ms
  inflight: boolean;
  writingFirstDirty: number;
  writing?: Promise<void>;
}

export interface HeldFracture {
  file: number;
  block: number;
  name: string;
  headScn: number;
  tailScn: number;
}

const key = (file: number, block: number) => file * 4_194_304 + block;

export class BufferCache {
  private entries = new Map<number, CacheEntry>();
  /** dirty or in-flight entries per file */
  private pending = new Map<number, Set<CacheEntry>>();
  private fds = new Map<number, number>();
  private writes = new Set<Promise<void>>();
  gapMs = 4;
  lazyMs = 800;
  limit = 16384;
  fracture: { file?: number; block?: number; held?: HeldFracture; release?: () => void; armed: boolean } | undefined;

  constructor(private nameOf: (file: number) => string) {}

  fd(file: number): number {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      if (this.fds.size > 200) this.closeFds();
      fd = fs.openSync(this.nameOf(file), 'r+');
      this.fds.set(file, fd);
    }
    return fd;
  }

  closeFds(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }

  get(file: number, block: number): CacheEntry {
    const k = key(file, block);
    let e = this.entries.get(k);
    if (e) return e;
    e = { file, block, buf: readBlock(this.fd(file), block), dirty: false, firstDirty: 0, dirtySince: 0, inflight: false, writingFirstDirty: 0 };
    this.entries.set(k, e);
    if (this.entries.size > this.limit) this.evict();
    return e;
  }

  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.limit * 0.9) break;
      if (!e.dirty && !e.inflight) this.entries.delete(k);
    }
  }

  /** Forget cached copies of a file's blocks (e.g. after crash recovery rewrote it). */
  drop(file?: number): void {
    for (const [k, e] of this.entries) if (file === undefined || e.file === file) this.entries.delete(k);
  }

  markDirty(e: CacheEntry, scn: number): void {
    if (!e.dirty) {
      e.dirty = true;
      e.firstDirty = scn;
      e.dirtySince = Date.now();
      let s = this.pending.get(e.file);
      if (!s) this.pending.set(e.file, (s = new Set()));
      s.add(e);
    }
  }

  /** All changes of this file below the returned SCN are on disk. */
  checkpointOf(file: number, nextScn: number): number {
    let min = nextScn;
    const s = this.pending.get(file);
    if (s) for (const e of s) {
      if (e.dirty && e.firstDirty < min) min = e.firstDirty;
      if (e.inflight && e.writingFirstDirty < min) min = e.writingFirstDirty;
    }
    return min;
  }

  dirtyCount(): number {
    let n = 0;
    for (const s of this.pending.values()) n += s.size;
    return n;
  }

  private write(e: CacheEntry): Promise<void> {
    e.inflight = true;
    e.writingFirstDirty = e.firstDirty;
    e.dirty = false;
    const img = Buffer.from(e.buf);
    const p = this.doWrite(e, img).finally(() => {
      e.inflight = false;
      if (!e.dirty) this.pending.get(e.file)?.delete(e);
      this.writes.delete(p);
    });
    e.writing = p;
    this.writes.add(p);
    return p;
  }

  private async doWrite(e: CacheEntry, img: Buffer): Promise<void> {
    const pos = e.block * BLOCK_SIZE;
    fs.writeSync(this.fd(e.file), img, 0, HALF, pos);
    const f = this.fracture;
    if (f && f.armed && (f.file === undefined || f.file === e.file) && (f.block === undefined || f.block === e.block)) {
      f.armed = false;
      const old = readBlock(this.fd(e.file), e.block);
      f.held = { file: e.file, block: e.block, name: this.nameOf(e.file), headScn: readScn(img, 12), tailScn: readScn(old, 8176) };
      await new Promise<void>((resolve) => (f.release = resolve));
    } else {
      await sleep(this.gapMs);
    }
    fs.writeSync(this.fd(e.file), img, HALF, HALF, pos + HALF);
  }

  /** DBWR's lazy pass: writes blocks dirty for longer than lazyMs (or many when the cache is full of dirty blocks). */
  lazyWrite(max = 256): void {
    const now = Date.now();
    let n = 0;
    for (const s of this.pending.values()) {
      for (const e of s) {
        if (n >= max) return;
        if (e.dirty && !e.inflight && now - e.dirtySince >= this.lazyMs) {
          void this.write(e);
          n++;
        }
      }
    }
  }

  /** Writes the blocks of the given files (all when undefined) holding changes below beforeScn, and waits until they are on disk. */
  async flush(files: Set<number> | undefined, beforeScn: number): Promise<void> {
    for (;;) {
      const waits: Promise<void>[] = [];
      for (const [file, s] of this.pending) {
        if (files && !files.has(file)) continue;
        for (const e of s) {
          if (e.dirty && !e.inflight && e.firstDirty < beforeScn) waits.push(this.write(e));
          else if (e.inflight && e.writingFirstDirty < beforeScn && e.writing) waits.push(e.writing);
        }
      }
      if (!waits.length) return;
      await Promise.all(waits);
    }
  }

  async idle(): Promise<void> {
    await Promise.all([...this.writes]);
  }
}

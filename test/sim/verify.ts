// Verification: first that recovery finished (every recovered file's header neither backup
// nor online fuzzy, all at one checkpoint SCN), then every data block of every standby file
// against production at that SCN, rebuilt from production's truth journal (the block's
// creation image, empty or filled by `sim create --fill`, + every change below it).
import fs from 'node:fs';
import path from 'node:path';
import { BLOCK_SIZE, FLAG_NOLOGGING, blockDefect, decodeHeader, type FileHeader, inspectBlock } from './instance/block.ts';
import { loadControl, stateDir } from './instance/control.ts';
import { applyChange } from './instance/datafile.ts';
import { creationBlock } from './instance/fill.ts';
import { readTruth } from './instance/journal.ts';
import { loadStandby, type StandbyFile } from './instance/standby-files.ts';

export interface VerifyOptions {
  controlfile?: string;
  home?: string;
  sid?: string;
  convert?: string | string[];
  /** production instance (default: the one named in the standby controlfile) */
  primaryHome?: string;
  primarySid?: string;
  /** compare at this SCN (changes below it) instead of the standby files' checkpoint */
  scn?: number;
}

export interface BlockDiff {
  file: number;
  block: number;
  why: string;
}

export interface VerifyResult {
  ok: boolean;
  scn: number;
  files: number;
  blocks: number;
  diffs: BlockDiff[];
  lines: string[];
}

function readHeader(p: string): FileHeader | undefined {
  const fd = fs.openSync(p, 'r');
  const b = Buffer.alloc(BLOCK_SIZE);
  fs.readSync(fd, b, 0, BLOCK_SIZE, BLOCK_SIZE);
  fs.closeSync(fd);
  return decodeHeader(b);
}

/** Why the recovered files' headers say recovery has not finished (empty when it has). */
export function unfinishedRecovery(files: StandbyFile[]): BlockDiff[] {
  const out: BlockDiff[] = [];
  const at = new Map<number, number[]>();
  for (const f of files) {
    if (!f.recover || !fs.existsSync(f.path)) continue;
    const h = readHeader(f.path);
    if (!h) {
      out.push({ file: f.file, block: 1, why: 'file header unreadable (ORA-01210: data file header is media corrupt)' });
      continue;
    }
    if (h.fuzzy) out.push({ file: f.file, block: 1, why: `header still fuzzy (in backup mode since SCN ${h.backupScn}): recovery has not passed its END BACKUP marker` });
    else if (h.onlineFuzzy) out.push({ file: f.file, block: 1, why: `header still online fuzzy (copied while open and not in backup mode, checkpoint SCN ${h.checkpointScn}): recovery has not made it consistent` });
    at.set(h.checkpointScn, [...(at.get(h.checkpointScn) ?? []), f.file]);
  }
  if (at.size > 1) {
    const list = [...at].sort((a, b) => a[0] - b[0]).map(([scn, fs]) => `file${fs.length > 1 ? 's' : ''} ${fs.join(', ')} at SCN ${scn}`);
    out.push({ file: 0, block: 0, why: `the recovered files are not at one checkpoint SCN: ${list.join('; ')}` });
  }
  return out;
}

export function verifyStandby(o: VerifyOptions): VerifyResult {
  const db = loadStandby(o);
  const unfinished = unfinishedRecovery(db.files);
  if (unfinished.length) {
    // missing files first (they explain the rest), then what the headers say
    const missing = db.files.filter((f) => !fs.existsSync(f.path)).map((f) => ({ file: f.file, block: 0, why: `standby file '${f.path}' is missing` }));
    const lines = [
      ...missing.map((d) => `verify: file ${d.file} block 0: ${d.why}`),
      ...unfinished.map((d) => (d.file ? `verify: file ${d.file}: ${d.why}` : `verify: ${d.why}`)),
      `verify: FAILED: recovery has not finished (${unfinished.length} header problem${unfinished.length > 1 ? 's' : ''}${missing.length ? `, ${missing.length} missing file${missing.length > 1 ? 's' : ''}` : ''}); blocks are only compared once every recovered file is consistent`,
    ];
    return { ok: false, scn: 0, files: db.files.length, blocks: 0, diffs: [...missing, ...unfinished], lines };
  }
  const pdir = stateDir(path.resolve(o.primaryHome ?? db.primary.home), o.primarySid ?? db.primary.sid);
  const prod = loadControl(pdir);
  const diffs: BlockDiff[] = [];
  // the SCN the standby claims: its recovered files' (common) header checkpoint
  let scn = o.scn ?? 0;
  if (!o.scn) {
    for (const f of db.files) {
      if (!f.recover || !fs.existsSync(f.path)) continue;
      scn = Math.max(scn, readHeader(f.path)?.checkpointScn ?? 0);
    }
  }
  const wanted = new Set(db.files.map((f) => f.file));
  const truth = new Map<number, Map<number, Buffer>>();
  const creation = new Map(prod.datafiles.map((d) => [d.file, d.creationScn]));
  for (const t of readTruth(pdir)) {
    if (t.scn >= scn) break;
    if (!wanted.has(t.file)) continue;
    let m = truth.get(t.file);
    if (!m) truth.set(t.file, (m = new Map()));
    let b = m.get(t.block);
    if (!b) m.set(t.block, (b = creationBlock(prod.fill, t.file, t.block, creation.get(t.file)!)));
    applyChange(b, t.scn, t.offset, t.data);
  }
  for (const d of prod.datafiles) {
    if (d.creationScn < scn && !wanted.has(d.file)) diffs.push({ file: d.file, block: 0, why: `datafile ${d.file} '${d.name}' exists on production but not on the standby` });
  }
  let blocks = 0;
  for (const f of db.files) {
    if (!fs.existsSync(f.path)) {
      diffs.push({ file: f.file, block: 0, why: `standby file '${f.path}' is missing` });
      continue;
    }
    const fd = fs.openSync(f.path, 'r');
    const chunk = Buffer.alloc(128 * BLOCK_SIZE);
    const m = truth.get(f.file);
    for (let first = 2; first <= f.blocks; first += 128) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, first * BLOCK_SIZE);
      for (let i = 0; i < 128 && first + i <= f.blocks; i++) {
        const bno = first + i;
        const got = chunk.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE);
        if ((i + 1) * BLOCK_SIZE > n) {
          diffs.push({ file: f.file, block: bno, why: 'block missing (file too short)' });
          continue;
        }
        const want = m?.get(bno) ?? creationBlock(prod.fill, f.file, bno, f.creationScn);
        if (got.equals(want)) {
          blocks++;
          continue;
        }
        const g = inspectBlock(got);
        const w = inspectBlock(want);
        const defect = blockDefect(got, f.file, bno);
        const why = g.flags & FLAG_NOLOGGING
          ? `ORA-01578: ORACLE data block corrupted (file # ${f.file}, block # ${bno}); ORA-26040: Data block was loaded using the NOLOGGING option`
          : defect ? `ORA-01578: ${defect}`
          : g.headScn !== w.headScn ? `block at SCN ${g.headScn}, production at SCN ${w.headScn}` : `content differs at the same SCN ${g.headScn}`;
        diffs.push({ file: f.file, block: bno, why });
      }
    }
    fs.closeSync(fd);
  }
  const lines: string[] = [];
  // whole-file problems (a file missing on the standby or on production) first: they explain the rest
  diffs.sort((a, b) => Number(a.block !== 0) - Number(b.block !== 0));
  if (!diffs.length) lines.push(`verify: ${db.files.length} files, ${blocks} blocks identical at SCN ${scn}`);
  else {
    for (const d of diffs.slice(0, 30)) lines.push(`verify: file ${d.file} block ${d.block}: ${d.why}`);
    if (diffs.length > 30) lines.push(`verify: ... and ${diffs.length - 30} more`);
    lines.push(`verify: FAILED: ${diffs.length} differences in ${new Set(diffs.map((d) => d.file)).size} files at SCN ${scn} (${blocks} blocks identical)`);
  }
  return { ok: diffs.length === 0, scn, files: db.files.length, blocks, diffs, lines };
}

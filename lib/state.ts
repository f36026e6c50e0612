// State files: written atomically (temp file in the same directory, fsync, rename, fsync
// the directory), so a kill -9 or a full disk leaves either the old content or the new,
// never half of one. Directories are created 0700 and files 0600: they hold paths and
// SCNs of a production database.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DrError } from './errors.ts';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** mkdir -p with mode 0700 for every directory it creates (umask cannot loosen it). */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    missing.unshift(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing) {
    try {
      fs.mkdirSync(m, { mode: DIR_MODE });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      continue;
    }
    fs.chmodSync(m, DIR_MODE);
  }
}

let tempCounter = 0;

/**
 * Replaces `file` with `data` atomically: the temp file is `.<name>.<pid>.<n>.tmp` in the
 * same directory (same filesystem, so rename is atomic). On any failure the temp file is
 * removed and the old content of `file` is untouched.
 */
export function writeFileAtomic(file: string, data: string | Buffer, mode: number = FILE_MODE): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
    fs.fchmodSync(fd, mode); // the umask may have removed bits we asked for
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on a directory; the rename is still atomic
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function writeJsonAtomic(file: string, value: unknown, mode: number = FILE_MODE): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', mode);
}

/** Parsed JSON, undefined when the file does not exist; corrupt content is a DrError. */
export function readJsonIfExists<T>(file: string): T | undefined {
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DrError(`unable to read state file ${file}: ${(e as Error).message}`, {
      hint: `the file is corrupt; move it aside (it will be rebuilt) or restore it, then re-run`,
      cause: e,
    });
  }
}

/**
 * A tablespace (or any) name as a file-name part: [A-Za-z0-9_$#.-] kept, every other
 * byte of its UTF-8 encoding written as %XX, '%' included, so the mapping is reversible.
 * A name made only of dots ("." or "..") has its dots encoded too.
 */
export function fileSafeName(name: string): string {
  if (name === '') throw new Error('fileSafeName: empty name');
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && /[A-Za-z0-9_$#.-]/.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  if (/^\.+$/.test(out)) out = out.replace(/\./g, '%2E');
  return out;
}

/** Inverse of fileSafeName (and of keyPart). */
export function fromFileSafeName(safe: string): string {
  return decodeURIComponent(safe);
}

/**
 * One part of a keyed file name (database, container, tablespace): as fileSafeName, and '.'
 * encoded too, so '.' can join parts without ambiguity: "R&D" -> R%26D, "users data" ->
 * users%20data, "A.B" -> A%2EB, "lower_ts" -> lower_ts. Case is kept (the state directory is on
 * a case-sensitive filesystem, as every Linux filesystem is).
 */
export function keyPart(name: string): string {
  return fileSafeName(name).replace(/\./g, '%2E');
}

/**
 * Where each state file of one database lives. Every name carries the ORACLE_SID, so several
 * databases can share a state (and log) directory: <what>.<sid>[.<more>] or, for per-tablespace
 * files, ts_<sid>[.<container>].<tablespace>.done: the container part is there for container
 * databases (one set of tablespaces per PDB) and absent for a non-CDB.
 */
export class StateFiles {
  readonly dir: string;
  readonly sid: string;
  constructor(dir: string, sid: string) {
    this.dir = path.resolve(dir);
    this.sid = sid;
  }
  ensureDir(): void {
    ensureDir(this.dir);
  }
  /** `<sid>[.<container>].<ts>`, each part encoded by keyPart: the key of per-tablespace files (markers, logs). */
  tsKey(ts: string, container?: string): string {
    return [this.sid, ...(container === undefined ? [] : [container]), ts].map(keyPart).join('.');
  }
  /** <dir>/ts_<sid>[.<container>].<ts>.done */
  tsDone(ts: string, container?: string): string {
    return path.join(this.dir, `ts_${this.tsKey(ts, container)}.done`);
  }
  /** True for this database's marker file names (any container), false for other databases' and for legacy ones. */
  isOwnMarker(fileName: string): boolean {
    return fileName.startsWith(`ts_${keyPart(this.sid)}.`) && fileName.endsWith('.done');
  }
  /** <dir>/ts_<ts>.done: the unkeyed marker of versions before markers were keyed by database (read only, to migrate). */
  legacyTsDone(ts: string): string {
    return path.join(this.dir, `ts_${fileSafeName(ts)}.done`);
  }
  /** <dir>/last_arch_seq_thread<N>.<sid> */
  lastArchSeq(thread: number): string {
    if (!Number.isInteger(thread) || thread < 1) throw new Error(`lastArchSeq: bad thread ${thread}`);
    return path.join(this.dir, `last_arch_seq_thread${thread}.${keyPart(this.sid)}`);
  }
  /** Per thread, the last shipped sequence (lastArchSeq files of this database). */
  shippedSequences(): Map<number, number> {
    const m = new Map<number, number>();
    if (!fs.existsSync(this.dir)) return m;
    for (const f of fs.readdirSync(this.dir)) {
      const match = /^last_arch_seq_thread(\d+)\./.exec(f);
      if (!match || f !== path.basename(this.lastArchSeq(Number(match[1])))) continue;
      const v = readTextIfExists(path.join(this.dir, f))?.trim();
      if (v && /^\d+$/.test(v)) m.set(Number(match[1]), Number(v));
    }
    return m;
  }
  /** <dir>/scn_cutoff.<sid> */
  scnCutoff(): string {
    return path.join(this.dir, `scn_cutoff.${keyPart(this.sid)}`);
  }
  /** <dir>/incarnation.<sid>: RESETLOGS_CHANGE# of the database when the cutoff was recorded. */
  incarnation(): string {
    return path.join(this.dir, `incarnation.${keyPart(this.sid)}`);
  }
  /** <dir>/consistent_point.<sid>: SCN/sequence from which the standby can be consistent. */
  consistentPoint(): string {
    return path.join(this.dir, `consistent_point.${keyPart(this.sid)}`);
  }
  /** <dir>/<tool>.<sid>.lock */
  lock(tool: string): string {
    return path.join(this.dir, `${keyPart(tool)}.${keyPart(this.sid)}.lock`);
  }
  /** <dir>/<tool>.<sid>.inflight.json: tablespaces the tool put in backup mode and has not ended yet. */
  inflight(tool: string): string {
    return path.join(this.dir, `${keyPart(tool)}.${keyPart(this.sid)}.inflight.json`);
  }
  /** <dir>/<tool>.<sid>.progress.json */
  progress(tool: string): string {
    return path.join(this.dir, `${keyPart(tool)}.${keyPart(this.sid)}.progress.json`);
  }
  /** <dir>/<tool>.<sid>.result.json: how the tool's last run ended. */
  result(tool: string): string {
    return path.join(this.dir, `${keyPart(tool)}.${keyPart(this.sid)}.result.json`);
  }
  /** <dir>/<tool>.<sid>.heartbeat.json: rewritten every few seconds while the tool runs (lib/status/heartbeat.ts). */
  heartbeat(tool: string): string {
    return path.join(this.dir, `${keyPart(tool)}.${keyPart(this.sid)}.heartbeat.json`);
  }
  /** <dir>/archive_dest.<sid>.json: the local archive destinations' status and free space, as the shipper last saw them. */
  archiveDests(): string {
    return path.join(this.dir, `archive_dest.${keyPart(this.sid)}.json`);
  }
  /** <dir>/ship_names.<sid>/: symbolic links that give logs shipped under another name (lib/archivelog/drNames.ts) that name. */
  shipNames(): string {
    return path.join(this.dir, `ship_names.${keyPart(this.sid)}`);
  }
  /** <dir>/reship.<sid>.json: logs apply_standby found missing on DR after they were shipped; copy_archivelog ships them again (lib/archivelog/reship.ts). */
  reship(): string {
    return path.join(this.dir, `reship.${keyPart(this.sid)}.json`);
  }
  /** <dir>/alerts.<sid>.json: which alerts are raised, and messages not yet delivered (lib/alerts). */
  alerts(): string {
    return path.join(this.dir, `alerts.${keyPart(this.sid)}.json`);
  }
  /** Tablespaces of this database (not of a container) that have a .done marker (tsDone) in this directory. */
  tsDoneNames(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    const prefix = `ts_${keyPart(this.sid)}.`;
    return fs.readdirSync(this.dir).flatMap((f) => {
      if (!f.startsWith(prefix) || !f.endsWith('.done')) return [];
      const part = f.slice(prefix.length, -'.done'.length);
      if (part.includes('.')) return []; // a container's marker: ts_<sid>.<container>.<ts>.done
      let name: string;
      try {
        name = fromFileSafeName(part);
      } catch {
        return []; // not a name this suite wrote
      }
      return path.basename(this.tsDone(name)) === f ? [name] : [];
    });
  }
}

/**
 * Log file names of one database in the log directory, keyed by ORACLE_SID like the state files:
 * <tool>.<sid>.<ext> for a tool's own log, ts_<sid>[.<container>].<ts>.log per tablespace,
 * errors.<sid>.log for the errors of every tool.
 */
export class LogFiles {
  readonly dir: string;
  constructor(dir: string, private readonly state: StateFiles) {
    this.dir = path.resolve(dir);
  }
  /** <dir>/<tool>.<sid>.<ext>, e.g. hot_backup_ts.DBPROD.out, hot_backup_ts.DBPROD.rsync.log */
  tool(tool: string, ext: string): string {
    return path.join(this.dir, `${keyPart(tool)}.${keyPart(this.state.sid)}.${ext}`);
  }
  /** <dir>/ts_<sid>[.<container>].<ts>.log */
  tablespace(ts: string, container?: string): string {
    return path.join(this.dir, `ts_${this.state.tsKey(ts, container)}.log`);
  }
  /** <dir>/errors.<sid>.log */
  errors(): string {
    return path.join(this.dir, `errors.${keyPart(this.state.sid)}.log`);
  }
}

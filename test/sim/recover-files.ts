// Datafile checks made before media recovery applies any redo: each standby copy must be the
// file its controlfile entry names (database, file number, creation SCN, incarnation) and be
// whole. Errors are framed as Oracle prints them: ORA-01122, ORA-01110, then the reason.
import fs from 'node:fs';
import { RecoveryError } from './instance/apply.ts';
import { BLOCK_SIZE, decodeHeader, type FileHeader } from './instance/block.ts';
import { readBlock } from './instance/datafile.ts';
import { guardNotProduction, type StandbyDb, type StandbyFile } from './instance/standby-files.ts';

export function f1110(f: StandbyFile): string {
  return `ORA-01110: data file ${f.file}: '${f.path}'`;
}

function readFileHeader(path: string): FileHeader | undefined {
  const fd = fs.openSync(path, 'r');
  try {
    return decodeHeader(readBlock(fd, 1));
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks every datafile copy; returns their headers or throws the first failure (RecoveryError). */
export function checkDatafiles(db: StandbyDb): Map<number, FileHeader> {
  const headers = new Map<number, FileHeader>();
  for (const f of db.files) {
    guardNotProduction(f);
    if (!fs.existsSync(f.path)) throw new RecoveryError([`ORA-01157: cannot identify/lock data file ${f.file} - see DBWR trace file`, f1110(f)]);
    const failed = (reason: string) => new RecoveryError([`ORA-01122: database file ${f.file} failed verification check`, f1110(f), reason]);
    const h = readFileHeader(f.path);
    if (!h) throw failed('ORA-01210: data file header is media corrupt');
    if (h.dbid !== db.dbid) throw failed('ORA-01206: file is not part of this database - wrong database id');
    if (h.file !== f.file) throw failed(`ORA-01204: file number is ${h.file} rather than ${f.file} - wrong file`);
    if (h.creationScn !== f.creationScn) throw failed('ORA-01203: wrong incarnation of this file - wrong creation SCN');
    if (h.resetlogsId !== db.resetlogsId) throw failed('ORA-01209: data file is from before the last RESETLOGS');
    // size in blocks without the OS block, as Oracle counts it: (bytes / block size) - 1
    const actual = Math.floor(fs.statSync(f.path).size / BLOCK_SIZE) - 1;
    if (actual < f.blocks) throw failed(`ORA-01200: actual file size of ${actual} is smaller than correct size of ${f.blocks} blocks`);
    headers.set(f.file, h);
  }
  return headers;
}

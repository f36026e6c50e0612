// What a datafile path is on this host, before any backup window opens. rsync copies the
// content behind a symbolic link (--copy-links) and the directories of the path however they
// are linked, but a datafile that is not a regular file (or a link to one) cannot be copied
// as a file: a directory, a device (raw or ASM disk), a dangling link, a missing file.
import fs from 'node:fs';
import { PreconditionError } from '../errors.ts';
import type { FilePlan } from './plan.ts';

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why `path` cannot be copied as a datafile, or undefined when it is a regular file or a link to one. */
export function sourceProblem(path: string): string | undefined {
  let target: fs.Stats;
  try {
    target = fs.statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    try {
      if (fs.lstatSync(path).isSymbolicLink()) return `is a symbolic link to ${fs.readlinkSync(path)}, which does not exist`;
    } catch {}
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
  }
  if (target.isFile()) return undefined;
  const link = fs.lstatSync(path).isSymbolicLink() ? `a symbolic link to ${fs.readlinkSync(path)}, which is ` : '';
  return `is ${link}${kindOf(target)}`;
}

/** The error refusing datafiles that are not regular files (each named), or undefined when all are. */
export function checkSources(files: FilePlan[]): PreconditionError | undefined {
  const bad = files.map((f) => ({ f, why: sourceProblem(f.source) })).filter((x) => x.why !== undefined);
  if (bad.length === 0) return undefined;
  return new PreconditionError(
    `${bad.length} datafile(s) cannot be copied as files:\n` + bad.map(({ f, why }) => `  ${f.source} (tablespace ${f.tablespace}, file ${f.fileId}) ${why}`).join('\n'),
    'the tools copy datafiles that are regular files on a filesystem (a symbolic link to one is followed and its content copied); raw devices and ASM are not supported. Check DBA_DATA_FILES.FILE_NAME and the filesystem, then re-run',
  );
}

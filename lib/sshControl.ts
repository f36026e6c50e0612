// Where the ssh ControlMaster sockets live: <state dir>/ssh, a directory of this user, 0700,
// not a link (a directory in /tmp can be made in advance by another user, who would then
// own the socket every transfer goes through). A unix socket path is limited to 104 bytes on
// some systems (108 on Linux) and ssh first binds "<path>.<16 random characters>"
// (mux.c: muxserver_listen), so when <state dir>/ssh is too long a fresh private directory is
// made in /tmp instead (mkdtemp: new, 0700), checked the same way, and removed at the end.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Destination } from './config/index.ts';
import { PreconditionError } from './errors.ts';

const SUN_PATH_MAX = 104; // bytes, with the terminating NUL (BSD, macOS; Linux has 108)
const SSH_TEMP_SUFFIX = 17; // ".XXXXXXXXXXXXXXXX"
/** Longest socket file name we use: 12 hex digits of the target, '-w' and a worker number. */
export const SOCKET_NAME_MAX = 16;

/** Longest directory whose sockets still fit. */
export const CONTROL_DIR_MAX = SUN_PATH_MAX - 1 - SSH_TEMP_SUFFIX - SOCKET_NAME_MAX - 1;

/**
 * A name for the sockets of one destination and one owner (`<sid>.<tool>`): a master is never
 * reused for another host, port, user or key, nor shared with another tool or database (the
 * `ssh -O exit` that ends one tool's run would cut the other's transfers in the middle).
 */
export function socketBase(d: Extract<Destination, { type: 'ssh' }>, owner: string): string {
  const id = JSON.stringify([d.user, d.host, d.port, d.identityFile ?? '', d.sshConfigFile ?? '', d.knownHostsFile ?? '', d.cipher ?? '', d.extraSshOptions, owner]);
  return crypto.createHash('sha256').update(id).digest('hex').slice(0, 12);
}

/** Throws unless `dir` is a real directory (not a link) owned by this user with no access for others. */
export function checkPrivateDir(dir: string): void {
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  const why = st.isSymbolicLink()
    ? 'is a symbolic link'
    : !st.isDirectory()
      ? 'is not a directory'
      : uid !== undefined && st.uid !== uid
        ? `belongs to uid ${st.uid}, not to this user (uid ${uid})`
        : (st.mode & 0o077) !== 0
          ? `has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, not 0700`
          : undefined;
  if (why) {
    throw new PreconditionError(
      `the ssh control directory ${dir} ${why}: another user could take over the connection to DR`,
      `remove it (or make it a 0700 directory of this user) and re-run; it is made again when missing`,
    );
  }
}

export interface ControlDir {
  dir: string;
  /** Made for this process in /tmp: remove it when done. */
  temporary: boolean;
}

export function makeControlDir(stateDir: string): ControlDir {
  const preferred = path.join(path.resolve(stateDir), 'ssh');
  if (Buffer.byteLength(preferred) <= CONTROL_DIR_MAX) {
    fs.mkdirSync(preferred, { recursive: true, mode: 0o700 });
    checkPrivateDir(preferred);
    return { dir: preferred, temporary: false };
  }
  const dir = fs.mkdtempSync('/tmp/drssh-');
  checkPrivateDir(dir);
  return { dir, temporary: true };
}

/** ControlPath value: ssh expands % tokens there, so a literal % is doubled. */
export function controlPathOption(socket: string): string {
  return `ControlPath=${socket.replace(/%/g, '%%')}`;
}

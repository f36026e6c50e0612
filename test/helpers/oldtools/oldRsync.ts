// A stand-in for an old rsync (3.1.2 or 3.1.3) first on PATH, for the compat e2e test. It
// accepts exactly the options that version's popt table accepts (rsyncOptions.ts) and
// refuses any other with the message and exit code the old version gives; it answers
// --version with the old text; it logs every invocation (one JSON line) so the test can
// prove it ran. Otherwise it runs the real rsync, made to behave like the old one where
// that matters to us:
//  - as a client without -s/--protect-args it adds --old-args, so a remote path is split by
//    the remote shell at spaces, as every rsync before 3.2.4 did (NEWS.md of 3.2.4);
//  - as a client it adds --protocol=31 (the protocol of 3.1.x);
//  - as a server started with -s it reads the protected arguments the client sends on
//    stdin (NUL-separated, ended by an empty one: send_protected_args() in main.c) and
//    checks them too, before handing the stream to the real rsync.
// Started by a launcher script: node oldRsync.js VERSION LOGFILE REAL_RSYNC -- ARGS...
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { RSYNC_3_1_2, RSYNC_3_1_3, type RsyncOptionTable } from './rsyncOptions.ts';

const [version, logFile, real, sep, ...args] = process.argv.slice(2);
if (sep !== '--') throw new Error('usage: oldRsync VERSION LOGFILE REAL -- ARGS');
const table: RsyncOptionTable = version === '3.1.2' ? RSYNC_3_1_2 : version === '3.1.3' ? RSYNC_3_1_3 : (() => { throw new Error(`no option table for rsync ${version}`); })();
const server = args.includes('--server');
// main.c at v3.1.2 / v3.1.3: the line of exit_cleanup(RERR_SYNTAX) after the first parse_arguments(), and after the server's re-parse of protected args.
const LINES: Record<string, { first: number; protectedArgs: number }> = { '3.1.2': { first: 1567, protectedArgs: 1629 }, '3.1.3': { first: 1578, protectedArgs: 1638 } };

function log(entry: Record<string, unknown>): void {
  fs.appendFileSync(logFile, JSON.stringify({ pid: process.pid, version, server, ...entry }) + '\n');
}

/** The first argument popt would refuse, with popt's reason, or undefined. */
export function badOption(argv: string[], t: RsyncOptionTable): { arg: string; why: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (t.longWithValue.has(name)) {
        if (eq < 0) {
          if (i + 1 >= argv.length) return { arg: a, why: 'missing argument' };
          i++;
        }
      } else if (t.longFlags.has(name)) {
        if (eq >= 0) return { arg: a, why: 'option does not take an argument' };
      } else return { arg: a, why: 'unknown option' };
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (t.shortWithValue.includes(c)) {
          if (j === a.length - 1) {
            if (i + 1 >= argv.length) return { arg: a, why: 'missing argument' };
            i++;
          }
          break;
        }
        if (!t.shortFlags.includes(c)) return { arg: a, why: 'unknown option' };
      }
    }
  }
  return undefined;
}

function refuse(bad: { arg: string; why: string }, line: number): never {
  log({ argv: args, refused: bad.arg });
  process.stderr.write(`rsync: ${server ? 'on remote machine: ' : ''}${bad.arg}: ${bad.why}\n`);
  process.stderr.write(`rsync error: syntax or usage error (code 1) at main.c(${line}) [${server ? 'server' : 'client'}=${table.version}]\n`);
  process.exit(1);
}

/** Reads the client's protected args from stdin: NUL-terminated strings ended by an empty one. */
function readProtectedArgs(): Promise<{ protectedArgs: string[]; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const strings: string[] = [];
      let start = 0;
      for (let k = 0; k < buf.length; k++) {
        if (buf[k] !== 0) continue;
        if (k === start) {
          process.stdin.off('data', onData);
          process.stdin.pause();
          resolve({ protectedArgs: strings.slice(1), bytes: buf }); // strings[0] is the new arg0, "rsync"
          return;
        }
        strings.push(buf.subarray(start, k).toString('utf8'));
        start = k + 1;
      }
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', () => reject(new Error('stdin ended before the protected args')));
  });
}

async function main(): Promise<void> {
  if (!server && args.includes('--version')) {
    log({ argv: args });
    process.stdout.write(table.versionText);
    return;
  }
  const bad = badOption(args, table);
  if (bad) refuse(bad, LINES[table.version].first);
  const protectedMode = server && args.some((a) => /^-[^-]*s/.test(a));
  let pending: Buffer | undefined;
  if (protectedMode) {
    const { protectedArgs, bytes } = await readProtectedArgs();
    log({ argv: args, protectedArgs });
    const badP = badOption(protectedArgs, table);
    if (badP) refuse(badP, LINES[table.version].protectedArgs);
    pending = bytes; // the real rsync reads the protected args itself: the exact bytes go on

  } else log({ argv: args });

  let realArgs = args;
  if (!server) {
    const protect = args.some((a) => a === '--protect-args' || /^-[^-]*s/.test(a));
    realArgs = ['--protocol=31', ...(protect ? [] : ['--old-args']), ...args];
  }
  const child = spawn(real, realArgs, { stdio: [pending ? 'pipe' : 'inherit', 'inherit', 'inherit'] });
  if (pending) {
    child.stdin!.write(pending);
    process.stdin.pipe(child.stdin!);
    process.stdin.resume();
  }
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
}

main().catch((e) => {
  process.stderr.write(`old rsync wrapper: ${(e as Error).message}\n`);
  process.exit(12);
});

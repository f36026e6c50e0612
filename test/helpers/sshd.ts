// A private sshd on 127.0.0.1 for tests: its own host key, client key, authorized_keys and
// known_hosts in a 0700 temp dir; `sshd -D -e` as our child; stop()/start() simulate an outage
// on the same port. Real OpenSSH, no mocks.
//
// Gotchas handled here:
//  - sshd refuses to start without its privilege-separation dir /run/sshd (we create it).
//  - sshd must be started by absolute path (it re-execs itself).
//  - StrictModes would reject our files: /tmp is world-writable and sshd walks up the path.
//  - bash started by sshd for a command reads ~/.bashrc when SSH_CLIENT is set and SHLVL < 2
//    (Debian's SSH_SOURCE_BASHRC). root's ~/.bashrc runs `pyenv init`, which is slow and can
//    print to stdout, breaking rsync's protocol. `SetEnv SHLVL=1` makes the remote bash start
//    with SHLVL=2, so it skips ~/.bashrc. sshd uses root's home from passwd (/root), not $HOME.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { descendants, exec, execOk, freePort, sleep, waitExit, type ExecOptions, type ExecResult } from './proc.ts';

export const SSHD_BIN = '/usr/sbin/sshd';
export const SSH_CIPHER_FAST = 'aes128-gcm@openssh.com';

export interface SshdOptions {
  /** Temp dir prefix under /tmp (keep it short). Default 'sshd'. */
  prefix?: string;
  /** sshd LogLevel. Default 'INFO' (log goes to <dir>/sshd.log). */
  logLevel?: 'QUIET' | 'FATAL' | 'ERROR' | 'INFO' | 'VERBOSE' | 'DEBUG' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';
  /** Extra environment for remote sessions (sshd SetEnv). SHLVL=1 is always set. */
  setEnv?: Record<string, string>;
  /** Extra raw sshd_config lines, appended. */
  extraConfig?: string[];
  /** How long start-up may take until a real login works. Default 15 s. */
  readyTimeoutMs?: number;
  /** Address to listen on. Default 127.0.0.1 (the link test bed passes its namespace's address). */
  listenAddress?: string;
  /** argv prefix sshd is started with, e.g. ['ip', 'netns', 'exec', ns] (netns.ts). */
  wrap?: string[];
}

export interface StopOptions {
  /** Also SIGKILL the per-connection sshd processes and their commands (a hard outage).
   *  Default true. With false, only the listener goes: established sessions continue. */
  sessions?: boolean;
}

export interface Sshd {
  host: string;
  port: number;
  user: string;
  /** user@host */
  target: string;
  /** The 0700 temp dir holding keys, config, pid file and sshd.log. */
  dir: string;
  identityFile: string;
  knownHostsFile: string;
  configFile: string;
  logFile: string;
  /** ssh options: -p, -i, -o BatchMode=yes, -o UserKnownHostsFile, -o StrictHostKeyChecking=yes,
   *  -F /dev/null, IdentitiesOnly, ConnectTimeout, LogLevel=ERROR. No cipher (see sshCommand). */
  sshArgs(): string[];
  /** `ssh <sshArgs> [extra]` as one string, for `rsync -e`. */
  sshCommand(extra?: string[]): string;
  /** Runs a remote command string (it is interpreted by the remote shell). */
  ssh(remoteCommand: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Is the listener process alive? */
  running(): boolean;
  /** Kills sshd; new connections are refused afterwards. */
  stop(opts?: StopOptions): Promise<void>;
  /** Starts sshd again on the same port and waits until a login works. */
  start(): Promise<void>;
  /** stop() and remove the temp dir. */
  dispose(): Promise<void>;
  /** Trusts this server's host key at another address too (a relay in front of it). */
  addKnownHost(host: string, port: number): void;
}

const live = new Set<ChildProcess>();
/** Temp dirs of instances not disposed yet: removed when the process exits. */
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
    for (const c of live) {
      if (c.pid) {
        for (const d of descendants(c.pid)) {
          try {
            process.kill(d, 'SIGKILL');
          } catch {}
        }
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {}
      }
    }
  });
}

function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function readLog(file: string): string {
  try {
    const t = readFileSync(file, 'utf8');
    return t.length > 4000 ? '…' + t.slice(-4000) : t;
  } catch {
    return '';
  }
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  installExitHook();
  // Privilege separation directory: sshd exits with "Missing privilege separation directory".
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = mkdtempSync(join('/tmp', opts.prefix ?? 'sshd'));
  chmodSync(dir, 0o700);
  liveDirs.add(dir);
  const hostKey = join(dir, 'host_ed25519');
  const identityFile = join(dir, 'id_ed25519');
  const authorizedKeys = join(dir, 'authorized_keys');
  const knownHostsFile = join(dir, 'known_hosts');
  const configFile = join(dir, 'sshd_config');
  const pidFile = join(dir, 'sshd.pid');
  const logFile = join(dir, 'sshd.log');
  const user = 'root';
  const host = opts.listenAddress ?? '127.0.0.1';
  const wrap = opts.wrap ?? [];

  try {
    await execOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'test-host', '-f', hostKey]);
    await execOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'test-client', '-f', identityFile]);
    writeFileSync(authorizedKeys, readFileSync(identityFile + '.pub'), { mode: 0o600 });

    const port = await freePort();
    const hostPub = readFileSync(hostKey + '.pub', 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const addKnownHost = (h: string, p: number) => appendFileSync(knownHostsFile, `[${h}]:${p} ${hostPub}\n`);
    writeFileSync(knownHostsFile, `[${host}]:${port} ${hostPub}\n`, { mode: 0o600 });

    const setEnv: Record<string, string> = { SHLVL: '1', ...(opts.setEnv ?? {}) };
    const setEnvLine = Object.entries(setEnv)
      .map(([k, v]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`startSshd: bad env name ${k}`);
        if (/["\n]/.test(v)) throw new Error(`startSshd: env value for ${k} must not contain " or newline`);
        return `"${k}=${v}"`;
      })
      .join(' ');
    const config = [
      `ListenAddress ${host}`,
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `PidFile ${pidFile}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PermitUserEnvironment no',
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      'X11Forwarding no',
      'MaxStartups 64:30:128',
      'MaxSessions 64',
      'Subsystem sftp internal-sftp',
      `SetEnv ${setEnvLine}`,
      `LogLevel ${opts.logLevel ?? 'INFO'}`,
      ...(opts.extraConfig ?? []),
      '',
    ].join('\n');
    writeFileSync(configFile, config, { mode: 0o600 });

    const check = await exec([...wrap, SSHD_BIN, '-t', '-f', configFile]);
    if (check.code !== 0) {
      throw new Error(`sshd config check failed (sshd -t -f ${configFile}):\n${check.stderr.trim()}\n--- config ---\n${config}`);
    }

    const sshArgs = (): string[] => [
      '-p', String(port),
      '-i', identityFile,
      '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${knownHostsFile}`,
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'IdentitiesOnly=yes',
      '-o', 'ConnectTimeout=5',
      '-o', 'LogLevel=ERROR',
      '-F', '/dev/null',
    ];
    const sshCommand = (extra: string[] = []): string =>
      ['ssh', ...sshArgs(), ...extra].map((a) => (/[\s'"\\]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
    const ssh = (remoteCommand: string, o: ExecOptions = {}) =>
      exec(['ssh', ...sshArgs(), `${user}@${host}`, remoteCommand], { timeoutMs: 60_000, ...o });

    let child: ChildProcess | undefined;

    const start = async (): Promise<void> => {
      if (child && child.exitCode === null && child.signalCode === null) return;
      const fd = openSync(logFile, 'a');
      try {
        const argv = [...wrap, SSHD_BIN, '-D', '-e', '-f', configFile];
        child = spawn(argv[0]!, argv.slice(1), {
          stdio: ['ignore', fd, fd],
          env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
        });
      } finally {
        closeSync(fd);
      }
      const c = child;
      live.add(c);
      c.on('exit', () => live.delete(c));
      let spawnErr: Error | undefined;
      c.on('error', (e) => (spawnErr = e));

      const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
      let last = '';
      while (Date.now() < deadline) {
        if (spawnErr) throw new Error(`sshd could not be started: ${spawnErr.message}`);
        if (c.exitCode !== null || c.signalCode !== null) {
          throw new Error(`sshd exited during start-up (code ${c.exitCode}, signal ${c.signalCode}); log:\n${readLog(logFile)}`);
        }
        if (await tcpOpen(port, host)) {
          const r = await exec(['ssh', ...sshArgs(), `${user}@${host}`, 'true'], { timeoutMs: 10_000 });
          if (r.code === 0) return;
          last = r.stderr.trim();
        }
        await sleep(50);
      }
      throw new Error(`sshd on port ${port} not ready in time; last ssh error: ${last}\nlog:\n${readLog(logFile)}`);
    };

    const stop = async (o: StopOptions = {}): Promise<void> => {
      const c = child;
      if (!c || !c.pid || c.exitCode !== null || c.signalCode !== null) return;
      const sessions = o.sessions !== false ? descendants(c.pid) : [];
      c.kill('SIGTERM');
      for (const p of sessions) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {}
      }
      if (!(await waitExit(c, 5000))) {
        c.kill('SIGKILL');
        await waitExit(c, 5000);
      }
      // The port must refuse connections now.
      for (let i = 0; i < 100 && (await tcpOpen(port, host)); i++) await sleep(20);
    };

    const sshd: Sshd = {
      host,
      port,
      user,
      target: `${user}@${host}`,
      dir,
      identityFile,
      knownHostsFile,
      configFile,
      logFile,
      sshArgs,
      sshCommand,
      ssh,
      addKnownHost,
      running: () => !!child && child.exitCode === null && child.signalCode === null,
      stop,
      start,
      dispose: async () => {
        await stop();
        rmSync(dir, { recursive: true, force: true });
        liveDirs.delete(dir);
      },
    };
    try {
      await start();
    } catch (e) {
      await stop();
      throw e;
    }
    return sshd;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw e;
  }
}

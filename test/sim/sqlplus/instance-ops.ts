// STARTUP and SHUTDOWN. A running instance is asked over its socket; an idle one is
// started with `sim start` (test/sim/bin/sim, or $SIM_STARTUP_COMMAND), like the
// bequeath connection of real SQL*Plus spawning the background processes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { OraError } from '../sql/types.ts';
import { IDLE_LINES, type Session } from './session.ts';

const SGA = `Total System Global Area 1610612736 bytes
Fixed Size                  8896864 bytes
Variable Size             385876128 bytes
Database Buffers         1207959552 bytes
Redo Buffers                7880704 bytes`;

export function defaultStartupText(mode: string): string {
  let s = `ORACLE instance started.\n\n${SGA}\n`;
  if (mode !== 'nomount') s += 'Database mounted.\n';
  if (mode === 'open') s += 'Database opened.\n';
  return s;
}

export function defaultShutdownText(mode: string): string {
  return mode === 'abort' ? 'ORACLE instance shut down.\n' : 'Database closed.\nDatabase dismounted.\nORACLE instance shut down.\n';
}

function printError(s: Session, e: OraError): void {
  s.out(`${e.lines.join('\n')}\n`);
  s.lastSqlCode = e.code;
}

export async function startup(s: Session, args: string[]): Promise<void> {
  const a = args.map((x) => x.toUpperCase());
  const mode = a.includes('NOMOUNT') ? 'nomount' : a.includes('MOUNT') ? 'mount' : 'open';
  if (s.state === 'none') { s.out('SP2-0640: Not connected\n'); return; }
  // after SHUTDOWN in this session the instance process may still answer (idle): ask it, as a
  // bequeath connection would start the instance again (no ORA-01078, no second process)
  if (s.state === 'idle') await s.connect();
  if (s.state === 'connected') {
    const r = await s.instanceOp({ op: 'startup', mode });
    if (r instanceof OraError) return printError(s, r);
    s.out(r ? (r.endsWith('\n') ? r : r + '\n') : defaultStartupText(mode));
    return;
  }
  const here = path.dirname(process.argv[1] ?? '.');
  const cmd = process.env.SIM_STARTUP_COMMAND ?? path.resolve(here, '..', 'bin', 'sim');
  const r = spawnSync(cmd, ['start', '--home', s.home!, '--sid', s.sid!, ...(mode === 'open' ? [] : [mode === 'nomount' ? '--nomount' : '--mount'])], { encoding: 'utf8', shell: !!process.env.SIM_STARTUP_COMMAND });
  const printed = (r.stdout ?? '').replace(/\n*$/, '');
  const ora = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /^(ORA|LRM|SP2)-\d+/.test(l));
  if (printed) s.out(printed + '\n');
  if (r.status !== 0) {
    if (!printed) s.out((ora.length ? ora : ['ORA-01078: failure in processing system parameters']).join('\n') + '\n');
    s.lastSqlCode = new OraError(ora.length ? ora : ['ORA-01078: x']).code;
  }
  await s.connect();
  if ((s.state as string) !== 'connected') { if (r.status === 0) printError(s, new OraError(IDLE_LINES)); return; }
  if (!printed && r.status === 0) s.out(defaultStartupText(mode));
}

export async function shutdown(s: Session, args: string[]): Promise<void> {
  const a = args.map((x) => x.toUpperCase());
  const mode = a.includes('ABORT') ? 'abort' : a.includes('TRANSACTIONAL') ? 'immediate' : a.includes('IMMEDIATE') ? 'immediate' : 'normal';
  if (s.state === 'none') { s.out('SP2-0640: Not connected\n'); return; }
  if (s.state === 'idle') { printError(s, new OraError(IDLE_LINES)); return; }
  const r = await s.instanceOp({ op: 'shutdown', mode });
  if (r instanceof OraError) {
    if (r.code === 3113) { s.out(defaultShutdownText(mode)); s.disconnect(); s.state = 'idle'; return; }
    return printError(s, r);
  }
  s.out(r ? (r.endsWith('\n') ? r : r + '\n') : defaultShutdownText(mode));
  // inside a PDB, SHUTDOWN closes that PDB only and the session stays connected
  if (r.startsWith('Pluggable Database')) return;
  s.disconnect();
  s.state = 'idle';
}

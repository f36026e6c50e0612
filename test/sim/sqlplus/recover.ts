// SQL*Plus RECOVER (User's Guide 19c, RECOVER): [AUTOMATIC] [FROM location] [STANDBY] DATABASE
// [UNTIL {CANCEL | CHANGE n}] [USING BACKUP CONTROLFILE], or MANAGED STANDBY DATABASE ...
// The instance runs the recovery; when it asks `Specify log:` the next input line is the
// answer (<RET>, a file name, AUTO, CANCEL), exactly as a script piped to SQL*Plus feeds it.
// SET AUTORECOVERY ON makes RECOVER automatic.
import { OraError } from '../sql/types.ts';
import { ExitRequest, IDLE_LINES, type Session } from './session.ts';

interface RecoverWire { ok: boolean; type?: string; lines?: string[]; prompt?: boolean; error?: string | { lines: string[] } }

/** Parses the words after RECOVER; a string is an SP2 message. */
export function parseRecover(rest: string): object | string {
  const t = rest.replace(/;\s*$/, '').trim();
  if (/^MANAGED\s+STANDBY\s+DATABASE\b/i.test(t)) return { managed: true };
  const m = /^(AUTOMATIC\s+)?(?:FROM\s+'([^']*)'\s+)?(STANDBY\s+)?DATABASE\b(.*)$/is.exec(t);
  if (!m) return `SP2-0734: unknown command beginning "RECOVER ${t.slice(0, 2)}..." - rest of line ignored.`;
  const req: { automatic: boolean; from?: string; standby: boolean; untilChange?: number; untilCancel?: boolean } = { automatic: !!m[1], standby: !!m[3] };
  if (m[2] !== undefined) req.from = m[2];
  const tail = m[4]!.trim();
  const until = /UNTIL\s+(CANCEL|CHANGE\s+(\d+))/i.exec(tail);
  if (until?.[2]) req.untilChange = Number(until[2]);
  else if (until) req.untilCancel = true;
  return req;
}

export async function recover(s: Session, rest: string): Promise<void> {
  if (s.state === 'none') { s.out('SP2-0640: Not connected\n'); return; }
  const req = parseRecover(rest);
  if (typeof req === 'string') { s.out(req + '\n'); return; }
  if (s.state === 'idle' || !s.conn) { fail(s, IDLE_LINES); return; }
  let r = await ask(s, { op: 'recover', ...req, automatic: (req as { automatic?: boolean }).automatic || s.st.autorecovery });
  for (;;) {
    if (!r) return;
    if (!r.ok) { fail(s, (r.error as { lines: string[] }).lines); return; }
    s.out((r.lines ?? []).map((l) => l + '\n').join(''));
    if (!r.prompt) {
      if (typeof r.error === 'string') { s.out('\n'); fail(s, [], r.error); }
      else s.lastSqlCode = 0;
      return;
    }
    const answer = await s.readLine();
    r = await ask(s, { op: 'recover', answer: answer ?? null });
  }
}

async function ask(s: Session, msg: object): Promise<RecoverWire | undefined> {
  try {
    return (await s.conn!.request(msg)) as RecoverWire;
  } catch {
    s.state = 'lost';
    s.conn = undefined;
    fail(s, ['ORA-03113: end-of-file on communication channel']);
    return undefined;
  }
}

/** Prints the error lines and applies WHENEVER SQLERROR (RECOVER errors are SQL errors). */
function fail(s: Session, lines: string[], first = lines[0]): void {
  if (lines.length) s.out(lines.join('\n') + '\n\n');
  s.lastSqlCode = new OraError(first ?? 'ORA-00000: x').code;
  if (s.whenSql.kind === 'exit') throw new ExitRequest(s.exitCode(s.whenSql.code));
}

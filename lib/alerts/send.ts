// Delivery to one channel: an HTTP POST of JSON (node's own http/https, no connection kept
// open) or a mail through the local sendmail (`sendmail -t -oi`, the message on stdin, so
// no address or text is on the command line). Errors are DrErrors whose text holds no secret.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AlertChannel } from '../config/index.ts';
import { DrError } from '../errors.ts';
import { run } from '../exec.ts';
import { readSecret, redact } from './secrets.ts';

type Webhook = Extract<AlertChannel, { type: 'webhook' }>;
type Mail = Extract<AlertChannel, { type: 'mail' }>;

/** POSTs `payload`; resolves when the receiver answered 2xx. */
export async function sendWebhook(ch: Webhook, payload: unknown, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const url = readSecret(`alerts channel ${ch.name}: webhook URL`, { env: ch.urlEnv, file: ch.urlFile }, env);
  const token = ch.tokenEnv || ch.tokenFile ? readSecret(`alerts channel ${ch.name}: token`, { env: ch.tokenEnv, file: ch.tokenFile }, env) : undefined;
  const secrets = [url, ...(token ? [token] : [])];
  const fail = (msg: string): never => {
    throw new DrError(`alerts channel ${ch.name}: ${redact(msg, secrets)}`, { hint: 'the message is kept and sent again at a later evaluation' });
  };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return fail('the webhook URL is not a valid URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail(`the webhook URL must be http or https (found ${u.protocol})`);
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'user-agent': 'oracle-dr-suite' };
  if (token) headers.authorization = `Bearer ${token}`;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = (u.protocol === 'https:' ? https : http).request(u, { method: 'POST', headers, agent: false, timeout: ch.timeoutSeconds * 1000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        if (size < 4096) chunks.push(b);
        size += b.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 200) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ch.timeoutSeconds} s`)));
    req.on('error', reject);
    req.end(body);
  }).catch((e: Error & { code?: string }) => fail(`the webhook could not be reached: ${e.code ? `${e.code} ` : ''}${e.message}`));
  if (status < 200 || status > 299) fail(`the webhook answered HTTP ${status}${text.trim() ? `: ${text.trim().replace(/\s+/g, ' ')}` : ''}`);
}

/** The sendmail program: an absolute path as configured, else PATH, then where MTAs put it (cron's PATH lacks /usr/sbin). */
export function findSendmail(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (program.includes('/')) return fs.existsSync(program) ? program : undefined;
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin', '/usr/lib'];
  for (const d of dirs) {
    const p = path.join(d, program);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function sendMail(ch: Mail, message: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const prog = findSendmail(ch.sendmail, env);
  if (!prog) throw new DrError(`alerts channel ${ch.name}: ${ch.sendmail} not found (looked in PATH, /usr/sbin, /usr/lib)`, { hint: 'install a local MTA (postfix, or msmtp-mta, with its sendmail) or set sendmail: /path/to/sendmail' });
  const r = await run([prog, '-t', '-oi'], { input: message, timeoutMs: 60_000, env });
  if (r.exitCode !== 0) {
    const why = (r.stderr || r.stdout).trim().split('\n').at(-1)?.trim(); // an MTA's last line says why
    throw new DrError(`alerts channel ${ch.name}: ${prog} exited with ${r.signal ?? r.exitCode}${why ? `: ${why}` : ''}`, { hint: 'the message is kept and sent again at a later evaluation; check the local MTA (mailq, its log)' });
  }
}

// Webhook URLs and tokens: read from the environment or a private file when a message is
// sent, never from the configuration file, never put on a command line, and cut out of any
// text that could reach a log (an error from the HTTP stack may quote the URL).
import fs from 'node:fs';
import { privateFileProblem } from '../config/alerts.ts';
import { DrError, ExitCode } from '../errors.ts';

export function readSecret(what: string, ref: { env?: string; file?: string }, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.env !== undefined) {
    const v = env[ref.env]?.trim();
    if (!v) throw new DrError(`${what}: environment variable ${ref.env} is not set`, { hint: `export ${ref.env} in the environment of the alert evaluator (cron, systemd unit), or use a *_file key`, exitCode: ExitCode.CONFIG });
    return v;
  }
  if (ref.file !== undefined) {
    const p = privateFileProblem(what, ref.file);
    if (p) throw new DrError(p, { hint: 'the file must be a regular file of mode 0600 owned by the user running the alerts', exitCode: ExitCode.CONFIG });
    const v = fs.readFileSync(ref.file, 'utf8').trim();
    if (!v) throw new DrError(`${what}: ${ref.file} is empty`, { hint: 'write the value on the first line of the file', exitCode: ExitCode.CONFIG });
    return v;
  }
  throw new DrError(`${what}: no secret configured`, { exitCode: ExitCode.CONFIG });
}

/** `text` with every secret, and the path+query of every secret URL, replaced by "***". */
export function redact(text: string, secrets: string[]): string {
  const parts = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    parts.add(s);
    try {
      const u = new URL(s);
      if (u.pathname.length > 1) parts.add(u.pathname);
      if (u.search) parts.add(u.search.slice(1));
      if (u.password) parts.add(u.password);
      for (const seg of u.pathname.split('/')) if (seg.length >= 8) parts.add(seg);
    } catch {
      // not a URL: the value itself is enough
    }
  }
  let out = text;
  for (const p of [...parts].sort((a, b) => b.length - a.length)) out = out.split(p).join('***');
  return out;
}

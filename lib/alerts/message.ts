// What an alert says, and its shape per channel: Slack ({text}), Microsoft Teams (an Adaptive
// Card message, what Teams' "post to a channel when a webhook request is received" workflow
// takes), a generic JSON document, and a plain-text mail for sendmail -t.
import os from 'node:os';
import { humanSeconds, localTime } from '../status/format.ts';
import type { DatabaseStatus } from '../status/types.ts';
import type { AlertEvent } from './events.ts';

export interface AlertMessage {
  subject: string;
  body: string;
}

function oneLine(s: string, max = 200): string {
  const l = s.replace(/[\r\n]+/g, ' ').trim();
  return l.length > max ? l.slice(0, max - 1) + '…' : l;
}

function lagText(s: DatabaseStatus): string {
  const t = s.transport;
  const shipped = t.threads.map((x) => `thread ${x.thread} shipped through ${x.shippedSequence ?? 'none'}`).join(', ') || 'nothing shipped yet';
  return `transport lag ${t.lagSeconds !== null ? humanSeconds(t.lagSeconds) : 'unknown'}, ${t.lagSequences ?? '?'} sequence(s) (${shipped})`;
}

function standbyText(s: DatabaseStatus): string {
  const b = s.standby;
  if (!b.configured) return 'standby apply: not configured';
  return `standby apply: lag ${b.lagSeconds !== null ? humanSeconds(b.lagSeconds) : 'unknown'}, ${b.lagSequences ?? '?'} sequence(s), consistent ${b.consistent ? 'yes' : 'no'}`;
}

export function subjectOf(e: AlertEvent, s: DatabaseStatus): string {
  const tag = `[DR ${s.sid}]`;
  switch (e.kind) {
    case 'raised':
      return oneLine(`${tag} ${e.severity}: ${e.summary}`);
    case 'escalated':
      return oneLine(`${tag} now ${e.severity}: ${e.summary}`);
    case 'cleared':
      return oneLine(`${tag} cleared: ${e.summary}`);
    case 'daily':
      return oneLine(`${tag} daily: ${e.summary}`);
  }
}

/** The daily summary's one line: "all good, transport lag 12 s, …" or the problems. */
export function dailySummary(s: DatabaseStatus): string {
  if (s.status === 'OK') return `all good, ${lagText(s)}; backup cycle ${s.backup.cycle}; ${standbyText(s)}`;
  return `${s.status}, ${s.conditions.length} problem(s): ${s.conditions.map((c) => c.summary).join('; ')}`;
}

export function messageOf(e: AlertEvent, s: DatabaseStatus): AlertMessage {
  const lines: string[] = [e.kind === 'cleared' ? `Cleared: ${e.summary}` : e.summary, ''];
  lines.push(`Database: ${s.sid} (configuration ${s.config}) on host ${os.hostname()}`);
  if (e.kind !== 'daily') lines.push(`Condition: ${e.id}${e.kind === 'cleared' ? '' : ` (${e.severity})`}${e.since ? `, raised ${localTime(e.since)}` : ''}`);
  lines.push(`Event: ${e.kind} at ${localTime(e.at)}`, '');
  lines.push(`Now: ${s.status}${s.conditions.length ? '' : ', nothing wrong'}`);
  for (const c of s.conditions) lines.push(`  - ${c.severity} ${c.summary}`);
  lines.push(`Shipping: ${lagText(s)}`, `Hot backup: cycle ${s.backup.cycle}`, `Standby: ${standbyText(s).replace(/^standby apply: /, '')}`, '');
  lines.push(`Details: status.ts --config ${s.config} (add --json for everything)`);
  return { subject: subjectOf(e, s), body: lines.join('\n') + '\n' };
}

export function webhookPayload(format: 'slack' | 'teams' | 'generic', e: AlertEvent, s: DatabaseStatus): unknown {
  const m = messageOf(e, s);
  if (format === 'slack') return { text: `${m.subject}\n${m.body}` };
  if (format === 'teams') {
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: m.subject, weight: 'Bolder', wrap: true },
              { type: 'TextBlock', text: m.body, wrap: true },
            ],
          },
        },
      ],
    };
  }
  return {
    source: 'oracle-dr-suite',
    version: 1,
    kind: e.kind,
    condition: e.id,
    severity: e.severity,
    summary: e.summary,
    sid: s.sid,
    host: os.hostname(),
    at: e.at,
    ...(e.since && { since: e.since }),
    status: s.status,
    active: s.conditions.map((c) => ({ id: c.id, severity: c.severity, summary: c.summary })),
    subject: m.subject,
    text: m.body,
  };
}

/** RFC 2047 encoded-word when the header has non-ASCII characters. */
function headerText(s: string): string {
  const l = oneLine(s, 900);
  return /^[\x20-\x7e]*$/.test(l) ? l : `=?UTF-8?B?${Buffer.from(l, 'utf8').toString('base64')}?=`;
}

/** A complete message for `sendmail -t -oi` (recipients from the To: header). */
export function mailText(m: AlertMessage, to: string[], from: string, now: Date): string {
  return (
    [
      `From: ${from}`,
      `To: ${to.join(', ')}`,
      `Subject: ${headerText(m.subject)}`,
      `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      'Auto-Submitted: auto-generated',
      '',
      m.body,
    ].join('\n')
  );
}

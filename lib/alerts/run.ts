// One alert evaluation: status (the same document --check prints) → which messages are due →
// queued in state/alerts.<sid>.json (atomically, before anything is sent, so a crash can
// repeat a message but never lose a "cleared") → delivered per channel, oldest first. A
// channel that fails keeps its queue and is tried again retry_seconds later; the others go on.
import type { AlertChannel, DrConfig } from '../config/index.ts';
import { formatError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { readJsonIfExists, StateFiles, writeJsonAtomic } from '../state.ts';
import { localTime } from '../status/format.ts';
import { collectStatus } from '../status/snapshot.ts';
import type { DatabaseStatus } from '../status/types.ts';
import { dailyDue, localDay, transitions, type AlertEvent, type RaisedCondition } from './events.ts';
import { dailySummary, mailText, messageOf, webhookPayload } from './message.ts';
import { sendMail, sendWebhook } from './send.ts';
import os from 'node:os';

/** Most messages kept per channel while it fails; older ones are dropped (and the drop is logged). */
export const OUTBOX_MAX = 200;

export interface AlertStore {
  version: 1;
  raised: Record<string, RaisedCondition>;
  outbox: Record<string, AlertEvent[]>;
  /** Per channel: not before this time (after a failure). */
  retryAt: Record<string, string>;
  /** Per channel: since when it fails. */
  failingSince: Record<string, string>;
  /** Local day the last daily summary was queued. */
  lastDaily?: string;
}

export interface AlertRun {
  status: DatabaseStatus;
  events: AlertEvent[];
  sent: number;
  failed: { channel: string; error: string }[];
  pending: number;
}

function emptyStore(): AlertStore {
  return { version: 1, raised: {}, outbox: {}, retryAt: {}, failingSince: {} };
}

async function deliver(ch: AlertChannel, e: AlertEvent, status: DatabaseStatus, env: NodeJS.ProcessEnv, now: Date): Promise<void> {
  if (ch.type === 'webhook') return sendWebhook(ch, webhookPayload(ch.format, e, status), env);
  const from = ch.from ?? `${os.userInfo().username}@${os.hostname()}`;
  return sendMail(ch, mailText(messageOf(e, status), ch.to, from, now), env);
}

export async function evaluateAlerts(config: DrConfig, log: Logger, opts: { now?: Date; env?: NodeJS.ProcessEnv } = {}): Promise<AlertRun> {
  const now = opts.now ?? new Date();
  const env = opts.env ?? process.env;
  const status = collectStatus(config, now);
  const file = new StateFiles(config.dirs.state, config.oracle.sid).alerts();
  const store: AlertStore = { ...emptyStore(), ...readJsonIfExists<AlertStore>(file) };
  const save = () => writeJsonAtomic(file, store);

  const { raised, events } = transitions(store.raised, status.conditions, config.alerts.minSeverity, now);
  if (dailyDue(config.alerts.dailySummaryAt, store.lastDaily, now)) {
    events.push({ kind: 'daily', id: 'daily', severity: status.status, summary: dailySummary(status), at: now.toISOString() });
    store.lastDaily = localDay(now);
  }
  for (const e of events) log.info(`${e.kind} ${e.id}${e.kind === 'cleared' || e.kind === 'daily' ? '' : ` (${e.severity})`}: ${e.summary}`);
  store.raised = raised;

  const names = new Set(config.alerts.channels.map((c) => c.name));
  for (const k of Object.keys(store.outbox)) if (!names.has(k)) delete store.outbox[k]; // channel removed from the configuration
  for (const ch of config.alerts.channels) {
    const box = [...(store.outbox[ch.name] ?? []), ...events];
    if (box.length > OUTBOX_MAX) log.warn(`channel ${ch.name}: ${box.length - OUTBOX_MAX} undelivered message(s) dropped (at most ${OUTBOX_MAX} are kept)`);
    store.outbox[ch.name] = box.slice(-OUTBOX_MAX);
  }
  save(); // queued before any attempt: nothing is lost if we die while sending

  let sent = 0;
  const failed: AlertRun['failed'] = [];
  for (const ch of config.alerts.channels) {
    const box = store.outbox[ch.name];
    if (!box.length) continue;
    const retry = store.retryAt[ch.name];
    if (retry && Date.parse(retry) > now.getTime()) continue;
    while (box.length) {
      const e = box[0];
      try {
        await deliver(ch, e, status, env, now);
      } catch (err) {
        const text = formatError(err).split('\n')[0];
        const next = new Date(now.getTime() + config.alerts.retrySeconds * 1000);
        store.retryAt[ch.name] = next.toISOString();
        const first = !store.failingSince[ch.name];
        store.failingSince[ch.name] ??= now.toISOString();
        save();
        const msg = `alert delivery failed: ${text}; ${box.length} message(s) kept, next attempt after ${localTime(next.toISOString())}`;
        if (first) log.error(msg);
        else log.warn(msg);
        failed.push({ channel: ch.name, error: text });
        break;
      }
      box.shift();
      sent++;
      if (store.failingSince[ch.name]) log.info(`channel ${ch.name} works again (failing since ${localTime(store.failingSince[ch.name])})`);
      delete store.retryAt[ch.name];
      delete store.failingSince[ch.name];
      save();
      log.info(`sent ${e.kind} ${e.id} to ${ch.name}`);
    }
  }
  const pending = Object.values(store.outbox).reduce((n, b) => n + b.length, 0);
  return { status, events, sent, failed, pending };
}

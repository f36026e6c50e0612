// Which alert messages a new evaluation calls for. Pure: the raised set remembered from the
// previous evaluation, the conditions now, and a clock in; the new raised set and the events
// out. A condition is raised once, escalated once when it gets worse than what was sent,
// cleared once; the daily summary is due once per local day after its time.
import type { AlertsConfig } from '../config/index.ts';
import type { Condition, Severity } from '../status/types.ts';

export type AlertKind = 'raised' | 'escalated' | 'cleared' | 'daily';

export interface AlertEvent {
  kind: AlertKind;
  /** Condition id, or 'daily'. */
  id: string;
  severity: Severity;
  summary: string;
  at: string;
  /** When the condition was first raised (escalated, cleared). */
  since?: string;
}

export interface RaisedCondition {
  severity: 'WARNING' | 'CRITICAL';
  /** The highest severity a message was queued for. */
  notified: 'WARNING' | 'CRITICAL';
  since: string;
  summary: string;
}

const RANK = { WARNING: 1, CRITICAL: 2 } as const;

/** Conditions that may be sent: at least the configured severity; UNKNOWN (no state yet) never pages anyone. */
export function alertable(conditions: Condition[], min: AlertsConfig['minSeverity']): (Condition & { severity: 'WARNING' | 'CRITICAL' })[] {
  return conditions.filter((c): c is Condition & { severity: 'WARNING' | 'CRITICAL' } => c.severity === 'CRITICAL' || (c.severity === 'WARNING' && min === 'warning'));
}

export function transitions(
  raised: Record<string, RaisedCondition>,
  conditions: Condition[],
  min: AlertsConfig['minSeverity'],
  now: Date,
): { raised: Record<string, RaisedCondition>; events: AlertEvent[] } {
  const at = now.toISOString();
  const next: Record<string, RaisedCondition> = {};
  const events: AlertEvent[] = [];
  for (const c of alertable(conditions, min)) {
    const prev = raised[c.id];
    if (!prev) {
      next[c.id] = { severity: c.severity, notified: c.severity, since: at, summary: c.summary };
      events.push({ kind: 'raised', id: c.id, severity: c.severity, summary: c.summary, at });
    } else if (RANK[c.severity] > RANK[prev.notified]) {
      next[c.id] = { severity: c.severity, notified: c.severity, since: prev.since, summary: c.summary };
      events.push({ kind: 'escalated', id: c.id, severity: c.severity, summary: c.summary, at, since: prev.since });
    } else {
      next[c.id] = { ...prev, severity: c.severity, summary: c.summary };
    }
  }
  for (const [id, prev] of Object.entries(raised)) {
    if (!next[id]) events.push({ kind: 'cleared', id, severity: 'OK', summary: prev.summary, at, since: prev.since });
  }
  return { raised: next, events };
}

/** YYYY-MM-DD of `now` in local time. */
export function localDay(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** Whether the daily summary is due: its local time has passed today and none was queued today. */
export function dailyDue(at: string | undefined, lastDay: string | undefined, now: Date): boolean {
  if (!at) return false;
  const [h, m] = at.split(':').map(Number);
  if (now.getHours() * 60 + now.getMinutes() < h * 60 + m) return false;
  return lastDay !== localDay(now);
}

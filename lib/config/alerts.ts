// The `thresholds` and `alerts` sections: the checks across their keys and on the disk
// (secret files must be private), and their camelCase form. Their YAML schema is in
// alertsSchema.ts. Self-contained: validate.ts and load.ts each call into this file once.
import * as fs from 'node:fs';
import type { z } from 'zod';
import { normalizePath } from '../pathmap.ts';
import type { alertsSchema, thresholdsSchema } from './alertsSchema.ts';
import { keyPath, valueAt } from './messages.ts';
import type { AlertChannel, AlertsConfig, Threshold, Thresholds } from './types.ts';


const SECRET_KEY = /^(url|webhook_url|token)$/i;

/**
 * Removes secret-looking keys from alert channels before the schema sees them, with a
 * problem that says where the secret must go instead (a typo'd key would be reported too,
 * but as "unknown key", which would not tell why the value must not be here at all).
 */
export function secretKeyProblems(data: Record<string, unknown>, problems: string[]): void {
  const channels = valueAt(data, ['alerts', 'channels']);
  if (!Array.isArray(channels)) return;
  channels.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) return;
    for (const k of Object.keys(c)) {
      if (!SECRET_KEY.test(k)) continue;
      const what = /token/i.test(k) ? 'a token' : 'a webhook URL carries its token, so it';
      const base = /token/i.test(k) ? 'token' : 'url';
      problems.push(
        `${keyPath(['alerts', 'channels', i, k])}: ${what} must never be written in this file; use ${base}_env (the name of an environment variable) or ${base}_file (a file of mode 0600)`,
      );
      delete (c as Record<string, unknown>)[k];
    }
  });
}

/** Checks across keys of the two sections (values that passed their type check). */
export function alertProblems(data: unknown, problems: string[]): void {
  const t = valueAt(data, ['thresholds']);
  if (t && typeof t === 'object') {
    for (const [k, v] of Object.entries(t)) {
      if (!v || typeof v !== 'object') continue;
      const { warning, critical } = v as { warning?: unknown; critical?: unknown };
      if (typeof warning !== 'number' || typeof critical !== 'number') continue;
      if (k.endsWith('_left')) {
        // what is left: less is worse, so the warning comes first at the higher value
        if (warning < critical) problems.push(`thresholds.${k}: warning (${warning}) must not be below critical (${critical})`);
      } else if (warning > critical) problems.push(`thresholds.${k}: warning (${warning}) must not be above critical (${critical})`);
    }
  }
  const channels = valueAt(data, ['alerts', 'channels']);
  if (!Array.isArray(channels)) return;
  const seen = new Set<string>();
  channels.forEach((c, i) => {
    if (!c || typeof c !== 'object') return;
    const ch = c as Record<string, unknown>;
    const at = keyPath(['alerts', 'channels', i]);
    if (typeof ch.name === 'string') {
      if (seen.has(ch.name)) problems.push(`${at}.name: ${ch.name} is used by another channel; names must be unique (they name the channel in logs)`);
      seen.add(ch.name);
    }
    if (ch.type !== 'webhook') return;
    if ((ch.url_env === undefined) === (ch.url_file === undefined))
      problems.push(`${at}: set exactly one of url_env and url_file for a webhook (${ch.url_env === undefined ? 'neither is' : 'both are'} set)`);
    if (ch.token_env !== undefined && ch.token_file !== undefined) problems.push(`${at}: set at most one of token_env and token_file (both are set)`);
  });
}

/** The problem with a secret file, or undefined: it must exist, be a regular file, and be private. */
export function privateFileProblem(key: string, file: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${key}: ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`}`;
  }
  if (!st.isFile()) return `${key}: ${file} is not a regular file`;
  const mode = st.mode & 0o777;
  if (mode & 0o077) return `${key}: ${file} has mode 0${mode.toString(8)}; it must be 0600 or stricter (chmod 600 ${file})`;
  return undefined;
}

/** Checks that need the disk: every url_file / token_file is a private regular file. */
export function alertDiskProblems(data: unknown): string[] {
  const channels = valueAt(data, ['alerts', 'channels']);
  if (!Array.isArray(channels)) return [];
  const out: string[] = [];
  channels.forEach((c, i) => {
    for (const k of ['url_file', 'token_file']) {
      const f = valueAt(c, [k]);
      if (typeof f !== 'string' || !f.startsWith('/')) continue;
      const p = privateFileProblem(keyPath(['alerts', 'channels', i, k]), f);
      if (p) out.push(p);
    }
  });
  return out;
}

type ThresholdsYaml = z.infer<typeof thresholdsSchema>;
type AlertsYaml = z.infer<typeof alertsSchema>;

export function toThresholds(y: ThresholdsYaml): Thresholds {
  const l = (v: { warning: number; critical: number }): Threshold => ({ warning: v.warning, critical: v.critical });
  return {
    transportLagSeconds: l(y.transport_lag_seconds),
    transportLagSequences: l(y.transport_lag_sequences),
    applyLagSeconds: l(y.apply_lag_seconds),
    applyLagSequences: l(y.apply_lag_sequences),
    shippingStoppedSeconds: l(y.shipping_stopped_seconds),
    backupModeSeconds: l(y.backup_mode_seconds),
    archiveDestUsedPercent: l(y.archive_dest_used_percent),
    archiveDestHoursLeft: l(y.archive_dest_hours_left),
    heartbeatStaleSeconds: y.heartbeat_stale_seconds,
  };
}

export function toAlerts(y: AlertsYaml): AlertsConfig {
  const channels = y.channels.map((c): AlertChannel =>
    c.type === 'mail'
      ? { type: 'mail', name: c.name, to: c.to, ...(c.from !== undefined && { from: c.from }), sendmail: c.sendmail }
      : {
          type: 'webhook',
          name: c.name,
          format: c.format,
          ...(c.url_env !== undefined && { urlEnv: c.url_env }),
          ...(c.url_file !== undefined && { urlFile: normalizePath(c.url_file) }),
          ...(c.token_env !== undefined && { tokenEnv: c.token_env }),
          ...(c.token_file !== undefined && { tokenFile: normalizePath(c.token_file) }),
          timeoutSeconds: c.timeout_seconds,
        },
  );
  return {
    channels,
    minSeverity: y.min_severity,
    ...(y.daily_summary_at !== 'off' && { dailySummaryAt: y.daily_summary_at }),
    retrySeconds: y.retry_seconds,
  };
}

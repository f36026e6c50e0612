// The YAML schema of the `thresholds` and `alerts` sections (snake_case keys, defaults).
// Secrets are never keys here: a webhook URL or token is named by url_env/url_file,
// token_env/token_file and read only when a message is sent.
import { z } from 'zod';
import { absPath, program, str } from './fields.ts';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable');
const email = str.regex(/^[^\s<>@,;"'\\-][^\s<>@,;"'\\]*@[^\s<>@,;"'\\]+$/, 'must be an e-mail address such as dba@example.com');

function level(warning: number, critical: number, max?: number) {
  const n = max === undefined ? z.number().min(0) : z.number().min(0).max(max);
  return z.object({ warning: n.default(warning), critical: n.default(critical) }).strict().default({});
}

export const thresholdsSchema = z
  .object({
    transport_lag_seconds: level(900, 3600),
    transport_lag_sequences: level(3, 10),
    apply_lag_seconds: level(3600, 14400),
    apply_lag_sequences: level(10, 50),
    shipping_stopped_seconds: level(300, 900),
    backup_mode_seconds: level(21600, 86400),
    archive_dest_used_percent: level(80, 90, 100),
    // hours of redo the archive destination still holds at the current rate (bin/check): below is bad
    archive_dest_hours_left: level(24, 4),
    heartbeat_stale_seconds: z.number().min(30).default(60),
  })
  .strict()
  .default({});

const channelSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('webhook'),
      name: str.regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain name (letters, digits, _ . -)'),
      format: z.enum(['slack', 'teams', 'generic']).default('generic'),
      url_env: envName.optional(),
      url_file: absPath.optional(),
      token_env: envName.optional(),
      token_file: absPath.optional(),
      timeout_seconds: z.number().gt(0).max(120).default(10),
    })
    .strict(),
  z
    .object({
      type: z.literal('mail'),
      name: str.regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain name (letters, digits, _ . -)'),
      to: z.array(email).min(1, 'must list at least one address'),
      from: email.optional(),
      sendmail: program.default('sendmail'),
    })
    .strict(),
]);

export const alertsSchema = z
  .object({
    channels: z.array(channelSchema).default([]),
    min_severity: z.enum(['warning', 'critical']).default('warning'),
    daily_summary_at: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be a time of day as HH:MM (24 h, local time), or off')
      .default('08:00'),
    retry_seconds: z.number().min(5).max(86400).default(60),
  })
  .strict()
  .default({});

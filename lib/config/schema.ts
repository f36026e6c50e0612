// The YAML schema of etc/dr.yaml (snake_case key names), one zod object per section.
// Values are checked here; checks across keys and on the disk are in validate.ts / load.ts.
import { z } from 'zod';
import { absPath, program, str } from './fields.ts';
import { alertsSchema, thresholdsSchema } from './alertsSchema.ts';
import { transferSchema } from './transfer.ts';

/** A tablespace name pattern (* any run, ? one character; matched by lib/match.ts). */
const pattern = str.superRefine((v, ctx) => {
  if (/[\x00-\x1f]/.test(v)) ctx.addIssue({ code: 'custom', message: `must be a tablespace name or pattern without control characters (found ${JSON.stringify(v)})` });
});

const connectSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('sqlplus') }).strict(),
  z
    .object({
      method: z.literal('oracledb'),
      user: str,
      connect_string: str.superRefine((v, ctx) => {
        if (/^[^@/\s]+\/[^@]*@/.test(v))
          ctx.addIssue({ code: 'custom', message: 'must not contain a password (user/password@...); use password_env or password_file' });
      }),
      privilege: z.enum(['SYSDBA', 'SYSBACKUP', 'NONE']).default('SYSDBA'),
      password_env: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable')
        .optional(),
      password_file: absPath.optional(),
    })
    .strict(),
]);

const destinationSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('ssh'),
      host: str.regex(/^[^\s@/]+$/, 'must be a host name or address, without user@ or spaces'),
      user: str.regex(/^[^\s@:/]+$/, 'must be a user name'),
      port: z.number().int().min(1).max(65535).default(22),
      identity_file: absPath.optional(),
      known_hosts_file: absPath.optional(),
      ssh_config_file: absPath.optional(),
      cipher: str.regex(/^[A-Za-z0-9@._,+-]+$/, 'must be an ssh cipher name such as aes128-gcm@openssh.com').optional(),
      control_master: z.boolean().default(true),
      data_connections: z.enum(['auto', 'per_worker', 'shared']).default('auto'),
      extra_ssh_options: z.array(str).default([]),
    })
    .strict(),
  z.object({ type: z.literal('local') }).strict(),
]);

export const schema = z
  .object({
    oracle: z
      .object({
        sid: str.regex(/^[A-Za-z][A-Za-z0-9_$#]{0,29}$/, 'must be an ORACLE_SID: a letter, then letters, digits, _ $ #'),
        home: absPath.optional(),
        sqlplus: program.default('sqlplus'),
        connect: connectSchema.default({ method: 'sqlplus' }),
        nls_lang: str.optional(),
        statement_timeout_seconds: z.number().int().min(1).max(86400).default(600),
      })
      .strict(),
    destination: destinationSchema,
    path_map: z.unknown(), // checked by parsePathMap: it accepts two shapes
    unmapped_paths: z.enum(['error', 'same_path']).default('error'),
    archivelog: z
      .object({
        dest_dir: absPath,
        poll_seconds: z.number().gt(0).max(3600).default(2),
        local_dest_id: z
          .custom<number | 'auto'>((v) => v === 'auto' || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 31), {
            message: 'must be auto or a destination number from 1 to 31',
          })
          .default('auto'),
      })
      .strict(),
    standby_controlfile: z.object({ local_path: absPath.optional(), dr_path: absPath }).strict(),
    standby: z
      .object({
        apply: z.boolean().default(false),
        oracle_home: absPath.optional(),
        oracle_sid: str.regex(/^[A-Za-z][A-Za-z0-9_$#]{0,29}$/, 'must be an ORACLE_SID: a letter, then letters, digits, _ $ #').optional(),
        run_on: z.enum(['dr', 'local']).default('dr'),
        poll_seconds: z.number().gt(0).max(3600).default(2),
        edition: z.enum(['se2', 'ee']).default('se2'),
        statement_timeout_seconds: z.number().int().min(10).max(86400).default(3600),
        housekeeping: z
          .object({
            enabled: z.boolean().default(true),
            retention_hours: z.number().min(0).max(8760).default(24),
            interval_seconds: z.number().int().min(0).max(86400).default(300),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    backup: z
      .object({
        parallel: z.number().int().min(1).max(32).default(4),
        exclude_tablespaces: z.array(pattern).default([]),
        core_tablespaces: z.array(pattern).default(['SYSTEM', 'SYSAUX', 'UNDO*']),
        batch_max_files: z.number().int().min(1).default(256),
        batch_max_bytes: z.union([z.number(), z.string()]).default('8G'),
      })
      .strict()
      .default({}),
    rsync: z
      .object({
        path: program.default('rsync'),
        extra_options: z.array(z.string()).default([]),
        bwlimit_kbps: z.number().int().min(0).default(0),
        timeout_seconds: z.number().int().min(0).default(600),
        retries: z.number().int().min(0).max(100).default(3),
      })
      .strict()
      .default({}),
    transfer: transferSchema,
    tmux: z
      .object({
        session: str.regex(/^[^:.\s]+$/, 'must not contain ":", "." or spaces (tmux target syntax)').optional(),
        socket_name: str.regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain name (letters, digits, _ . -)').optional(),
      })
      .strict()
      .default({}),
    dirs: z.object({ log: str.default('log'), state: str.default('state') }).strict().default({}),
    thresholds: thresholdsSchema,
    alerts: alertsSchema,
    check: z
      .object({
        redo_rate_hours: z.number().gt(0).max(168).default(3),
        dr_instance: z
          .object({ enabled: z.boolean().optional(), oracle_sid: str.regex(/^[A-Za-z][A-Za-z0-9_$#]{0,29}$/, 'must be an ORACLE_SID').optional(), oracle_home: absPath.optional() })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
  })
  .strict();

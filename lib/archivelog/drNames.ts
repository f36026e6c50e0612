// The name an archived log gets on DR. The standby's RECOVER AUTOMATIC looks only for the name
// it suggests: LOG_ARCHIVE_DEST_1 + LOG_ARCHIVE_FORMAT (the standby's, which must be
// production's: docs/DEPLOYMENT.md §7). Production's names usually are that name; logs in a fast
// recovery area are Oracle Managed Files (o1_mf_1_57_abcd1234_.arc), which no format gives, so
// they are shipped under the name LOG_ARCHIVE_FORMAT gives them. Only %t, %s and %r are filled
// in (thread, sequence, RESETLOGS_ID): the zero-filled forms' widths and %d's base are
// UNCONFIRMED, and the activation id (%a) is not known here; with those the production name is
// kept and the caller says the standby will not find it.
import path from 'node:path';
import type { ArchivedLogRow } from '../db/database.ts';

/** LOG_ARCHIVE_FORMAT filled in for this log, or undefined when the format uses a variable other than %t, %s, %r. */
export function formatArchiveName(format: string, log: Pick<ArchivedLogRow, 'thread' | 'sequence' | 'resetlogsId'>): string | undefined {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const v = format[++i];
    if (v === 't') out += String(log.thread);
    else if (v === 's') out += String(log.sequence);
    else if (v === 'r') out += log.resetlogsId;
    else return undefined;
  }
  return out.includes('/') || out === '' ? undefined : out;
}

export interface DrName {
  /** The file name on DR. */
  name: string;
  /** Production's name is not the one the standby looks for: shipped under `name` instead. */
  renamed: boolean;
  /** Production's name is not the format's and the format cannot be filled in: the standby will not find the log. */
  unmatched: boolean;
}

export function drNameOf(log: ArchivedLogRow, format: string | undefined): DrName {
  const base = path.basename(log.name);
  if (!format) return { name: base, renamed: false, unmatched: false };
  const want = formatArchiveName(format, log);
  if (want !== undefined) return { name: want, renamed: want !== base, unmatched: false };
  return { name: base, renamed: false, unmatched: !sameAsFormat(base, format) };
}

/** Whether a name could come from `format` (variables as digits or hex): when the format cannot be filled in, a name like it is left alone. */
function sameAsFormat(name: string, format: string): boolean {
  const re = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%[a-zA-Z]/g, '[0-9A-Fa-f]+');
  return new RegExp(`^${re}$`).test(name);
}

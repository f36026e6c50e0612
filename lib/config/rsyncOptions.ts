// rsync.extra_options: an allowlist. The tools certify a datafile when rsync says it sent it
// and exited 0, so an option that makes rsync skip, filter, redirect or only pretend to
// write files (-n, --list-only, --only-write-batch, --existing, --max-size, --compare-dest…)
// would certify a standby that holds nothing. Only options that cannot change what lands on
// DR are accepted: compression, bandwidth, timeouts, address family, sparse writing.
// docs/CONFIGURATION.md explains each one.

interface Allowed {
  long: string[];
  short?: string;
  /** When set, the option takes a value, given in the same item (`--bwlimit=10M`). */
  value?: { re: RegExp; example: string; what: string };
}

const ALLOWED: Allowed[] = [
  { long: ['compress'], short: 'z' },
  { long: ['compress-level', 'zl'], value: { re: /^-?\d{1,2}$/, example: '--compress-level=3', what: 'a compression level (a whole number)' } },
  { long: ['compress-choice', 'zc'], value: { re: /^(zstd|lz4|zlibx|zlib|none)$/, example: '--compress-choice=zstd', what: 'one of zstd, lz4, zlibx, zlib, none' } },
  { long: ['skip-compress'], value: { re: /^[A-Za-z0-9*?[\]/._-]*$/, example: '--skip-compress=gz/zip', what: 'a list of suffixes separated by /' } },
  { long: ['bwlimit'], value: { re: /^\d+(\.\d+)?([KMGTP]i?B?|[kmgtp]i?b?|[KMGTPkmgtp]B)?$/, example: '--bwlimit=10M', what: 'a rate such as 5000 (KiB/s) or 10M' } },
  { long: ['timeout'], value: { re: /^\d+$/, example: '--timeout=600', what: 'a number of seconds' } },
  { long: ['contimeout'], value: { re: /^\d+$/, example: '--contimeout=30', what: 'a number of seconds' } },
  { long: ['ipv4'], short: '4' },
  { long: ['ipv6'], short: '6' },
  { long: ['sparse'], short: 'S' },
  { long: ['no-motd'] },
];

const SUMMARY = '-z/--compress, --compress-level, --compress-choice/--zc, --skip-compress, --bwlimit, --timeout, --contimeout, -4/-6, -S/--sparse, --no-motd';
const GENERIC = `only options that cannot change what lands on DR are accepted here (${SUMMARY}); see docs/CONFIGURATION.md, section rsync`;

// Why the options people are most likely to try are refused (long names, and short letters).
const NOTHING_WRITTEN = 'rsync would exit 0 without writing the files, and every tablespace would be certified with nothing copied';
const STALE = 'it skips or only appends to a destination file of the same size, silently keeping a stale datafile from an earlier run';
const SKIPS = 'it makes rsync skip some files while still exiting 0, so a tablespace could be certified without its datafiles';
const WHOLE = 'archived logs and the standby controlfile must reach DR whole or not at all (temp name + rename); datafiles already use --inplace';
const REASONS: [RegExp, string][] = [
  [/^(dry-run|n|list-only|only-write-batch|write-batch|read-batch)$/, NOTHING_WRITTEN],
  [/^(append|append-verify|size-only)$/, STALE],
  [/^(ignore-existing)$/, 'it skips datafiles already on DR, silently keeping stale copies'],
  [/^(update|u)$/, 'it skips datafiles whose DR copy looks newer, silently keeping stale copies'],
  [/^(existing|ignore-non-existing|max-size|min-size|exclude|include|filter|exclude-from|include-from|F|C|cvs-exclude|files-from)$/, SKIPS],
  [/^(compare-dest|copy-dest|link-dest)$/, 'files found in that other directory are skipped or linked instead of written to DR'],
  [/^(del|delete.*)$/, "deleting files on DR is never this tool's decision"],
  [/^(remove-source-files|remove-sent-files)$/, 'it would delete production files'],
  [/^(rsh|e|rsync-path)$/, 'the ssh command is built from the destination keys'],
  [/^(inplace|partial|partial-dir|P)$/, WHOLE],
  [/^(checksum-choice)$/, 'it changes (or, with none, disables) the whole-file checksum that verifies every copy on DR'],
  [/^(info|debug|v|verbose|q|quiet|out-format|log-format|i|itemize-changes|8-bit-output|8|h|human-readable|progress|stats)$/, 'it changes the output the tools read to know which files were sent'],
  [/^(temp-dir|T|delay-updates)$/, 'archived logs must be written next to their final name and renamed when complete'],
  [/^(iconv|chmod|chown|usermap|groupmap|numeric-ids|o|owner|g|group|p|perms)$/, 'it changes the names, owner or permissions the files get on DR'],
  [/^(copy-links|L|links|l|copy-unsafe-links|safe-links|keep-dirlinks|K)$/, 'the tools already decide how symbolic links are followed (the content of a linked datafile is copied)'],
];

/** The reason an option is refused, and its rank (REASONS is ordered from the most serious). */
function refusal(name: string): { why: string; rank: number } {
  const rank = REASONS.findIndex(([re]) => re.test(name));
  return rank < 0 ? { why: GENERIC, rank: REASONS.length } : { why: REASONS[rank][1], rank };
}

/** Problems with rsync.extra_options (each item is one argv element). */
export function checkRsyncOptions(options: unknown[], problems: string[]): void {
  options.forEach((o, i) => {
    if (typeof o !== 'string') return; // the type error is reported by the schema
    const problem = checkOne(o);
    if (problem) problems.push(`rsync.extra_options[${i}]: ${problem}`);
  });
}

function checkOne(o: string): string | undefined {
  const long = /^--([^=]+)(?:=(.*))?$/s.exec(o);
  if (long) {
    const [, name, value] = long;
    const rule = ALLOWED.find((a) => a.long.includes(name));
    if (!rule) return `${o} is not allowed: ${refusal(name).why}`;
    if (!rule.value) return value === undefined ? undefined : `${o} is not allowed: --${name} takes no value`;
    if (value === undefined) return `--${name} needs its value in the same item, e.g. ${rule.value.example}`;
    return rule.value.re.test(value) ? undefined : `${o} is not allowed: --${name} needs ${rule.value.what}, e.g. ${rule.value.example}`;
  }
  const short = /^-([^-].*)$/s.exec(o);
  if (!short) return `${JSON.stringify(o)} is not an option: every item must be one option, such as --bwlimit=10M`;
  const letters = [...short[1]];
  const bad = letters.filter((l) => !ALLOWED.some((a) => a.short === l));
  if (bad.length === 0) return undefined;
  // Report the most serious refused letter (-avu: -u, not -a).
  const worst = bad.reduce((a, b) => (refusal(b).rank < refusal(a).rank ? b : a));
  return `${o} is not allowed: -${worst}: ${refusal(worst).why}`;
}

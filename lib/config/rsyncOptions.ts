// rsync.extra_options: which options may reach the rsync command lines.
// Options that would make rsync keep stale data on DR or delete files. Values: why.
const STALE = 'it skips or only appends to a destination file of the same size, silently keeping a stale datafile from an earlier run';
const FORBIDDEN_RSYNC: [RegExp, string][] = [
  [/^--append(-verify)?(=|$)/, STALE],
  [/^--size-only$/, STALE],
  [/^--ignore-existing$/, 'it skips datafiles already on DR, silently keeping stale copies'],
  [/^--update$/, 'it skips datafiles whose DR copy looks newer, silently keeping stale copies'],
  [/^--del(ete[a-z-]*)?(=|$)/, 'deleting files on DR is never this tool\'s decision'],
  [/^--remove-source-files$/, 'it would delete production files'],
  [/^(--rsh|--rsync-path)(=|$)/, 'the ssh command is built from the destination keys'],
  [/^(--inplace|--partial|--partial-dir(=.*)?)$/, 'archived logs and the standby controlfile must reach DR whole or not at all (temp name + rename); datafiles already use --inplace'],
];

/** Problems with rsync.extra_options (each item is one argv element). */
export function checkRsyncOptions(options: unknown[], problems: string[]): void {
  options.forEach((o, i) => {
    if (typeof o !== 'string') return; // the type error is reported by the schema
    const key = `rsync.extra_options[${i}]`;
    for (const [re, why] of FORBIDDEN_RSYNC) if (re.test(o)) return void problems.push(`${key}: ${o} is not allowed: ${why}`);
    // short option clusters, e.g. -avu: letters up to the first one that takes an argument
    const m = /^-([A-Za-z]+)$/.exec(o);
    if (m) {
      const flags = m[1].split(/[eBTMf]/)[0];
      if (flags.includes('u')) problems.push(`${key}: ${o} is not allowed: -u (--update) skips datafiles whose DR copy looks newer, silently keeping stale copies`);
      if (flags.includes('P')) problems.push(`${key}: ${o} is not allowed: -P (--partial) could leave an incomplete archived log under its final name on DR`);
      if (m[1][flags.length] === 'e') problems.push(`${key}: ${o} is not allowed: the ssh command is built from the destination keys`);
    }
  });
}

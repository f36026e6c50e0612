// The command-line options that old rsync releases accept: the Oracle Linux / RHEL 7 and 8
// versions, 3.1.2 and 3.1.3. Taken from the `long_options[]` table in options.c at tags
// v3.1.2 and v3.1.3 of github.com/RsyncProject/rsync (every entry, including those under
// #ifdef ICONV_OPTION and HAVE_SETVBUF, which RHEL builds enable). popt takes a value for
// POPT_ARG_STRING/INT/LONG entries and none for POPT_ARG_NONE/VAL; popt has no abbreviated
// long options. The same table parses the client's and the server's (--server) arguments.
// Used by the old-rsync wrapper of the compat e2e test (test/helpers/oldtools/oldRsync.ts).

export interface RsyncOptionTable {
  version: string;
  /** Long options that take a value (--name=VALUE or --name VALUE). */
  longWithValue: Set<string>;
  longFlags: Set<string>;
  /** Short options that take a value (-fVALUE, -f VALUE, or the rest of a cluster). */
  shortWithValue: string;
  shortFlags: string;
  /** What `rsync --version` prints (print_rsync_version() in options.c at that tag, as built on RHEL). */
  versionText: string;
}

const words = (s: string) => new Set(s.trim().split(/\s+/));

export const RSYNC_3_1_2: RsyncOptionTable = {
  version: '3.1.2',
  longWithValue: words(`
      info debug modify-window chmod max-size min-size max-delete filter exclude include exclude-from
      include-from block-size compare-dest copy-dest link-dest skip-compress compress-level partial-dir log-file log-file-format out-format log-format bwlimit backup-dir suffix read-batch write-batch only-write-batch files-from usermap groupmap chown timeout contimeout rsh rsync-path temp-dir iconv address port sockopts password-file outbuf remote-option protocol checksum-seed config
      dparam
  `),
  longFlags: words(`
      help version verbose no-verbose no-v msgs2stderr quiet motd no-motd stats human-readable no-human-readable no-h dry-run archive recursive no-recursive no-r inc-recursive no-inc-recursive
      i-r no-i-r dirs no-dirs no-d old-dirs old-d perms no-perms no-p executability acls no-acls no-A
      xattrs no-xattrs no-X times no-times no-t omit-dir-times no-omit-dir-times no-O omit-link-times
      no-omit-link-times no-J super no-super fake-super owner no-owner no-o group no-group no-g no-D
      devices no-devices specials no-specials links no-links no-l copy-links copy-unsafe-links safe-links munge-links no-munge-links copy-dirlinks keep-dirlinks hard-links no-hard-links no-H
      relative no-relative no-R implied-dirs no-implied-dirs i-d no-i-d ignore-times size-only one-file-system no-one-file-system no-x update existing ignore-non-existing ignore-existing sparse
      no-sparse no-S preallocate inplace no-inplace append append-verify no-append del delete delete-before delete-during delete-delay delete-after delete-excluded remove-sent-files remove-source-files force no-force ignore-errors no-ignore-errors cvs-exclude whole-file no-whole-file no-W
      checksum no-checksum no-c fuzzy no-fuzzy no-y compress old-compress new-compress no-compress
      no-z progress no-progress partial no-partial delay-updates no-delay-updates prune-empty-dirs no-prune-empty-dirs no-m itemize-changes no-itemize-changes no-i no-bwlimit backup no-backup list-only from0 no-from0 protect-args no-protect-args no-s numeric-ids no-numeric-ids no-timeout no-contimeout no-iconv ipv4 ipv6 8-bit-output no-8-bit-output no-8 qsort blocking-io no-blocking-io
      server sender daemon detach no-detach
  `),
  shortWithValue: 'fBeTM',
  shortFlags: 'vqhnardpEAXtOJogDlLkKHRIxuSFCWcyzPmib0s468',
  versionText: [
    'rsync  version 3.1.2  protocol version 31',
    'Copyright (C) 1996-2015 by Andrew Tridgell, Wayne Davison, and others.',
    'Web site: http://rsync.samba.org/',
    'Capabilities:',
    '    64-bit files, 64-bit inums, 64-bit timestamps, 64-bit long ints,',
    '    socketpairs, hardlinks, symlinks, IPv6, batchfiles, inplace,',
    '    append, ACLs, xattrs, iconv, symtimes, prealloc',
    '',
    'rsync comes with ABSOLUTELY NO WARRANTY.  This is free software, and you',
    'are welcome to redistribute it under certain conditions.  See the GNU',
    'General Public Licence for details.',
    '',
  ].join('\n'),
};

export const RSYNC_3_1_3: RsyncOptionTable = {
  version: '3.1.3',
  longWithValue: words(`
      info debug modify-window chmod max-size min-size max-delete filter exclude include exclude-from
      include-from checksum-choice block-size compare-dest copy-dest link-dest skip-compress compress-level partial-dir log-file log-file-format out-format log-format bwlimit backup-dir suffix read-batch write-batch only-write-batch files-from usermap groupmap chown timeout contimeout rsh
      rsync-path temp-dir iconv address port sockopts password-file outbuf remote-option protocol
      checksum-seed config dparam
  `),
  longFlags: words(`
      help version verbose no-verbose no-v msgs2stderr quiet motd no-motd stats human-readable no-human-readable no-h dry-run archive recursive no-recursive no-r inc-recursive no-inc-recursive
      i-r no-i-r dirs no-dirs no-d old-dirs old-d perms no-perms no-p executability acls no-acls no-A
      xattrs no-xattrs no-X times no-times no-t omit-dir-times no-omit-dir-times no-O omit-link-times
      no-omit-link-times no-J super no-super fake-super owner no-owner no-o group no-group no-g no-D
      devices no-devices specials no-specials links no-links no-l copy-links copy-unsafe-links safe-links munge-links no-munge-links copy-dirlinks keep-dirlinks hard-links no-hard-links no-H
      relative no-relative no-R implied-dirs no-implied-dirs i-d no-i-d ignore-times size-only one-file-system no-one-file-system no-x update existing ignore-non-existing ignore-existing sparse
      no-sparse no-S preallocate inplace no-inplace append append-verify no-append del delete delete-before delete-during delete-delay delete-after delete-excluded remove-sent-files remove-source-files force no-force ignore-errors no-ignore-errors cvs-exclude whole-file no-whole-file no-W
      checksum no-checksum no-c fuzzy no-fuzzy no-y compress old-compress new-compress no-compress
      no-z progress no-progress partial no-partial delay-updates no-delay-updates prune-empty-dirs no-prune-empty-dirs no-m itemize-changes no-itemize-changes no-i no-bwlimit backup no-backup list-only from0 no-from0 protect-args no-protect-args no-s numeric-ids no-numeric-ids no-timeout no-contimeout no-iconv ipv4 ipv6 8-bit-output no-8-bit-output no-8 qsort blocking-io no-blocking-io
      server sender daemon detach no-detach
  `),
  shortWithValue: '@fBeTM',
  shortFlags: 'vqhnardpEAXtOJogDlLkKHRIxuSFCWcyzPmib0s468',
  versionText: [
    'rsync  version 3.1.3  protocol version 31',
    'Copyright (C) 1996-2018 by Andrew Tridgell, Wayne Davison, and others.',
    'Web site: http://rsync.samba.org/',
    'Capabilities:',
    '    64-bit files, 64-bit inums, 64-bit timestamps, 64-bit long ints,',
    '    socketpairs, hardlinks, symlinks, IPv6, batchfiles, inplace,',
    '    append, ACLs, xattrs, iconv, symtimes, prealloc',
    '',
    'rsync comes with ABSOLUTELY NO WARRANTY.  This is free software, and you',
    'are welcome to redistribute it under certain conditions.  See the GNU',
    'General Public Licence for details.',
    '',
  ].join('\n'),
};

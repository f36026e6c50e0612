// Once per run of a tool, before its first rsync: what both rsyncs support, how fast the link
// is (only when a decision needs it), which compression and checksum to use, and the
// bandwidth budget. Every decision is logged with its reason.
import path from 'node:path';
import { hasCompressOption } from '../config/index.ts';
import type { ToolContext } from '../context.ts';
import type { Remote } from '../remote.ts';
import { fileSafeName } from '../state.ts';
import { planBandwidth, describeRate, type BandwidthPlan } from './bandwidth.ts';
import { describeCapabilities, detectCapabilities, type LinkCapabilities } from './capabilities.ts';
import { chooseCompression, type CompressionChoice, type LinkSpeed } from './compression.ts';
import { linkSpeed } from './link.ts';

export interface TransferSetup {
  caps: LinkCapabilities;
  compression: CompressionChoice;
  checksum: { name: string; args: string[] };
  bandwidth: BandwidthPlan;
  /** Flags every rsync of this run gets: compression and checksum choices. */
  args: string[];
  /** The link speed, measured or configured on first use (cached for the run). */
  link(): Promise<LinkSpeed>;
}

export function linkCacheFile(ctx: ToolContext): string {
  return path.join(ctx.state.dir, `link.${fileSafeName(ctx.config.oracle.sid)}.json`);
}

/** `caps`: detected beforehand (hot_backup_ts does it while sqlplus starts); otherwise the rsyncs are asked now (the connection must be open). */
export async function prepareTransfer(ctx: ToolContext, remote: Remote, caps?: LinkCapabilities): Promise<TransferSetup> {
  const { config, log } = ctx;
  const t = config.transfer;
  caps ??= await detectCapabilities(config.rsync.path, remote);
  log.info(describeCapabilities(caps, remote.isLocal ? '(local destination)' : 'on the DR host'));

  let speed: Promise<LinkSpeed> | undefined;
  const link = () =>
    (speed ??= linkSpeed({ remote, configuredBytesPerSec: t.linkRateBytesPerSec, cacheFile: linkCacheFile(ctx) }, (m) => log.info(m)));

  let compression: CompressionChoice;
  if (hasCompressOption(config.rsync.extraOptions)) {
    compression = { algorithm: 'from rsync.extra_options', args: [], reason: 'rsync.extra_options chooses compression (set transfer.compression instead)' };
  } else {
    // Only a choice between zlib and nothing depends on the link's speed.
    const needsLink = t.compression === 'auto' && !remote.isLocal && !caps.compressions.some((c) => c === 'zstd' || c === 'lz4');
    compression = chooseCompression(t.compression, t.compressionLevel, caps, needsLink ? await link() : { source: remote.isLocal ? 'local' : 'unknown' });
  }
  log.info(`compression: ${compression.algorithm}${compression.level !== undefined ? ` level ${compression.level}` : ''} (${compression.reason})`);
  if (compression.reason.includes('is not supported by both ends')) log.warn(`transfer.compression: ${t.compression} cannot be used: ${compression.reason}`);

  const checksum = caps.choices
    ? { name: caps.checksums[0]!, args: [`--checksum-choice=${caps.checksums[0]}`] }
    : { name: 'md5', args: [] };
  log.info(
    `checksum: ${checksum.name} (${caps.choices ? 'the first transfer checksum both ends offer' : 'rsync 3.1.x at one end: the protocol\'s own, not choosable'})`,
  );

  const bandwidth = planBandwidth(t.maxRateBytesPerSec, t.archivelogShare);
  log.info(
    bandwidth.totalBytesPerSec
      ? `bandwidth: at most ${describeRate(bandwidth.totalBytesPerSec)} in total: ${describeRate(bandwidth.archivelogBytesPerSec)} kept for archived logs, ${describeRate(bandwidth.datafileBytesPerSec)} shared by the datafile streams`
      : config.rsync.bwlimitKBps > 0
        ? `bandwidth: ${config.rsync.bwlimitKBps} KiB/s per rsync process (rsync.bwlimit_kbps; transfer.max_rate sets a total instead)`
        : 'bandwidth: unlimited (transfer.max_rate not set)',
  );
  return { caps, compression, checksum, bandwidth, args: [...compression.args, ...checksum.args], link };
}

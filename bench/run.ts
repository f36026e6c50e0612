// npm run bench [-- SECTION...] [options]: the suite against raw transfers of the same files, in
// one run, printed as ratios (no wall-clock assertion anywhere). Each measurement is repeated
// (--repeat, default 3) and the median is shown with its spread ((max - min) / median).
//
// Sections (default: all, in this order):
//   loopback       A: copy throughput over the sshd on 127.0.0.1 vs tar|ssh, rsync -a, the
//                  seed's xargs -P4, rsync zstd and two long-lived gcm rsyncs (the anchor)
//   orchestration  B-D: overhead per datafile, re-run when done, archived -> on DR delay
//   apply          E: log switch on production -> applied on the standby (apply_standby's loop)
//   link           shaped link (--rate, default 200 Mbit/s; root): tar|ssh, rsync -a, rsync
//                  zstd, hot_backup_ts on half-used and incompressible datafiles of
//                  --link-bytes (default 512M: the fixed cost of a tool run, printed apart,
//                  must not hide the copy rate) repeated --link-repeat (default 2) times;
//                  with --delay 40, a 40 ms round-trip variant with 1, 2 and 4 streams
//   refresh        after a full copy over the link, --change (2 %) of the blocks change;
//                  refresh by hot_backup_ts vs raw rsync --inplace --no-whole-file
//                  --block-size=8192; block-size sweep; whole-file vs delta on loopback;
//                  on --refresh-bytes (default 200M)
// Options: --bytes 1G (loopback data set), --link-bytes 512M, --link-repeat 2,
// --refresh-bytes 200M, --parallel 2,4 (loopback),
// --connections auto (loopback: destination.data_connections, e.g. per_worker,shared,auto),
// --rate 200, --delay 0 (ms; 40 adds the relay variant), --datasets half,random (link: half, rows, random), --change 0.02,
// --repeat 3, --logs 10 (D).
import { parseArgs } from 'node:util';
import { CpuMeter } from './cpu.ts';
import { linkSection, type DataSet } from './link.ts';
import { loopbackSection } from './loopback.ts';
import { orchestrationSection } from './orchestration.ts';
import { applySection } from './apply.ts';
import { refreshSection } from './refresh.ts';
import type { Table } from './report.ts';
import { parseBytes } from './tools.ts';

const SECTIONS = ['loopback', 'orchestration', 'apply', 'link', 'refresh'] as const;
type Section = (typeof SECTIONS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bytes: { type: 'string', default: '1G' },
    'link-bytes': { type: 'string', default: '512M' },
    'link-repeat': { type: 'string', default: '2' },
    'refresh-bytes': { type: 'string', default: '200M' },
    parallel: { type: 'string', default: '2,4' },
    connections: { type: 'string', default: 'auto' },
    rate: { type: 'string', default: '200' },
    delay: { type: 'string', default: '0' },
    datasets: { type: 'string', default: 'half,random' },
    change: { type: 'string', default: '0.02' },
    repeat: { type: 'string', default: '3' },
    logs: { type: 'string', default: '10' },
    fill: { type: 'string' },
  },
});
for (const p of positionals) if (!SECTIONS.includes(p as Section)) throw new Error(`unknown section ${p} (sections: ${SECTIONS.join(', ')})`);
const sections: Section[] = positionals.length ? SECTIONS.filter((s) => positionals.includes(s)) : [...SECTIONS];
const repeat = Number(values.repeat);
const parallels = values.parallel!.split(',').map(Number);
const linkNeedsRoot = sections.some((s) => s === 'link' || s === 'refresh') && process.getuid?.() !== 0;
if (linkNeedsRoot) throw new Error('the link and refresh sections need root (network namespaces, tc)');

// Ctrl-C / timeout: exit through process.exit so the harness exit hooks stop sshd, the sim and the namespaces.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => process.exit(130));
const cpu = CpuMeter.create();
process.on('exit', () => cpu?.dispose());
console.log(`sections: ${sections.join(', ')}; repeat ${repeat}${sections.includes('link') ? ` (link: ${values['link-repeat']}, ${values['link-bytes']} per data set)` : ''}; CPU accounting ${cpu ? 'by cgroup (cpuacct)' : 'not available'}`);

const tables: Table[] = [];
for (const s of sections) {
  const t0 = Date.now();
  if (s === 'loopback') tables.push(await loopbackSection({ bytes: parseBytes(values.bytes!), parallels, connections: values.connections!.split(','), repeat, cpu, ...(values.fill !== undefined && { fill: Number(values.fill) }) }));
  if (s === 'orchestration') tables.push(await orchestrationSection({ parallel: Math.max(...parallels), logs: Number(values.logs) }));
  if (s === 'apply') tables.push(await applySection({ logs: Number(values.logs) }));
  if (s === 'link')
    tables.push(
      ...(await linkSection({
        bytes: parseBytes(values['link-bytes']!),
        rateMbit: Number(values.rate),
        oneWayMs: Number(values.delay) / 2,
        repeat: Number(values['link-repeat']),
        datasets: values.datasets!.split(',') as DataSet[],
        parallels: [4],
        cpu,
      })),
    );
  if (s === 'refresh')
    tables.push(...(await refreshSection({ bytes: parseBytes(values['refresh-bytes']!), rateMbit: Number(values.rate), repeat, set: 'half', fraction: Number(values.change), cpu })));
  console.log(`(section ${s}: ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
console.log('\n==== summary ====');
for (const t of tables) console.log(t.render());
console.log('\nMB = 10^6 bytes. Same files, same sshd (cipher aes128-gcm); CPU s = cgroup CPU time of this host (prod) + the DR sshd and its sessions (DR); spread = (max - min) / median.');
process.exit(0);

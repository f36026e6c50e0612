// npm run bundle [-- --out-dir DIR]: the offline bundle dist/dr-suite-<version>.tar.gz and its
// .sha256, for a server that has Node.js 20 and nothing else (no npm, no registry).
//
// Every bin/<tool>.ts is a tool: compiled with esbuild (it ships with tsx, and its JavaScript API
// works without npm install scripts) into plain JavaScript in lib/<tool>.mjs plus shared chunks,
// with every dependency inside except node-oracledb, which is copied whole into vendor/oracledb
// (Thin mode is plain JavaScript; Thick mode needs its compiled binary and Oracle's client
// libraries, docs/DEPLOYMENT.md). The launchers bin/<tool> and lib/launcher.sh are the
// checkout's own: they run lib/<tool>.mjs when it is there. A new tool needs no change here.
//
// The archive is reproducible: names sorted, owner root, modes normalised, every mtime the
// last commit's time (or SOURCE_DATE_EPOCH), gzip without a timestamp.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { thirdPartyNotices } from './bundle-notices.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ORACLEDB_IMPORT = '../vendor/oracledb/index.js'; // from lib/*.mjs
/** Copied as they are (relative to the checkout). Directories are copied whole. */
const SHIPPED = ['README.md', 'docs', 'etc/dr.example.yaml', 'etc/systemd', 'etc/cron', 'etc/logrotate', 'lib/launcher.sh'];

export interface BundleResult {
  archive: string;
  checksumFile: string;
  sha256: string;
  bytes: number;
  files: string[];
  version: string;
}

export function tools(root = ROOT): string[] {
  return fs
    .readdirSync(path.join(root, 'bin'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function git(args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** import 'oracledb' → the vendored copy, left outside the bundle. */
const vendorOracledb: Plugin = {
  name: 'vendor-oracledb',
  setup(b) {
    b.onResolve({ filter: /^oracledb$/ }, () => ({ path: ORACLEDB_IMPORT, external: true }));
  },
};

async function compile(stage: string): Promise<string[]> {
  const names = tools();
  const r = await build({
    entryPoints: names.map((t) => ({ in: path.join(ROOT, 'bin', `${t}.ts`), out: t })),
    outdir: path.join(stage, 'lib'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    absWorkingDir: ROOT, // metafile inputs relative to the checkout (THIRD-PARTY-NOTICES.txt)
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { DR_BUNDLED: 'true' },
    plugins: [vendorOracledb],
    // Bundled CommonJS code calls require() for Node's own modules.
    banner: { js: "import { createRequire as __drRequire } from 'node:module'; const require = __drRequire(import.meta.url);" },
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  for (const [out, meta] of Object.entries(r.metafile.outputs)) {
    const stray = meta.imports.filter((i) => i.external && !builtins.has(i.path) && i.path !== ORACLEDB_IMPORT);
    if (stray.length) throw new Error(`bundle: ${out} imports ${stray.map((i) => i.path).join(', ')}, which would not be in the bundle`);
  }
  for (const f of r.outputFiles) {
    // The entry's `#!/bin/sh` line (bin/*.ts hand over to their launcher) has no place in a module.
    const text = f.text.replace(/^#!.*\n/, '');
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, text);
  }
  return Object.keys(r.metafile.inputs);
}

function copy(from: string, to: string, filter: (rel: string) => boolean = () => true, rel = ''): void {
  const st = fs.statSync(from);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(from).sort()) copy(path.join(from, e), path.join(to, e), filter, path.join(rel, e));
    return;
  }
  if (!filter(rel)) return;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/**
 * A systemd unit (or the timer of one) whose ExecStart runs a tool that does not exist yet:
 * a template for its author (etc/systemd), left out of the bundle until the tool is written.
 */
export function unitForMissingTool(rel: string, root = ROOT): string | undefined {
  if (!/^etc\/systemd\/.*\.(service|timer)$/.test(rel)) return undefined;
  const service = path.join(root, rel.replace(/\.timer$/, '.service'));
  const tool = fs.existsSync(service) ? /^ExecStart=\S*\/bin\/([a-z_]+)/m.exec(fs.readFileSync(service, 'utf8'))?.[1] : undefined;
  return tool && !tools(root).includes(tool) ? tool : undefined;
}

/** node-oracledb as installed, without its installer, examples and other systems' binaries. */
function vendorOracledbCopy(stage: string): void {
  const src = path.join(ROOT, 'node_modules', 'oracledb');
  copy(src, path.join(stage, 'vendor', 'oracledb'), (rel) => {
    if (/^(examples|package)\//.test(rel)) return false;
    const bin = /^build\/Release\/oracledb-[\d.]+-([a-z0-9]+)-/.exec(rel);
    return !bin || bin[1] === 'linux';
  });
}

/** 0755 for directories, launchers and binaries, 0644 for the rest; mtime fixed. */
function normalise(dir: string, mtime: Date): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    fs.chmodSync(d, 0o755);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const rel = path.relative(dir, p);
        fs.chmodSync(p, /^bin\/|\.node$/.test(rel) ? 0o755 : 0o644);
        fs.utimesSync(p, mtime, mtime);
        files.push(rel);
      }
    }
    fs.utimesSync(d, mtime, mtime);
  };
  walk(dir);
  return files.sort();
}

export async function bundle(outDir: string): Promise<BundleResult> {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const name = `dr-suite-${version}`;
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(outDir, '.bundle-'));
  try {
    const stage = path.join(work, name);
    const inputs = await compile(stage);
    for (const t of tools()) copy(path.join(ROOT, 'bin', t), path.join(stage, 'bin', t));
    for (const s of SHIPPED) copy(path.join(ROOT, s), path.join(stage, s), (rel) => !unitForMissingTool(path.join(s, rel)));
    vendorOracledbCopy(stage);
    fs.writeFileSync(path.join(stage, 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(ROOT, inputs, ['oracledb']));
    const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? git(['log', '-1', '--format=%ct']) ?? Math.floor(Date.now() / 1000));
    const commit = git(['rev-parse', '--short=12', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : '';
    fs.writeFileSync(
      path.join(stage, 'VERSION'),
      `dr-suite ${version}\n` +
        `source: ${commit ? `commit ${commit}${dirty}` : 'a tree without git'}, ${new Date(epoch * 1000).toISOString()}\n` +
        `tools: ${tools().join(' ')}\n`,
    );
    const files = normalise(stage, new Date(epoch * 1000));

    const tar = spawnSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu', '-cf', '-', '-C', work, name], {
      maxBuffer: 1 << 30,
    });
    if (tar.status !== 0) throw new Error(`bundle: tar failed (${tar.status ?? tar.signal}): ${tar.stderr.toString().trim()}`);
    const gz = gzipSync(tar.stdout, { level: 9 });
    const archive = path.join(outDir, `${name}.tar.gz`);
    const sha256 = createHash('sha256').update(gz).digest('hex');
    fs.writeFileSync(`${archive}.tmp`, gz);
    fs.renameSync(`${archive}.tmp`, archive);
    const checksumFile = `${archive}.sha256`;
    fs.writeFileSync(checksumFile, `${sha256}  ${path.basename(archive)}\n`); // sha256sum -c format
    return { archive, checksumFile, sha256, bytes: gz.length, files, version };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outDir = path.resolve(values['out-dir'] ?? path.join(ROOT, 'dist'));
  bundle(outDir).then(
    (r) => {
      const rel = (p: string) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p));
      process.stdout.write(
        `${rel(r.archive)}: ${(r.bytes / 1024 / 1024).toFixed(1)} MiB, ${r.files.length} files, tools ${tools().join(', ')}\n` +
          `${rel(r.checksumFile)}: sha256 ${r.sha256}\n` +
          `install: docs/DEPLOYMENT.md, "Install from the bundle"\n`,
      );
    },
    (e: unknown) => {
      process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

// Bundles the simulator's entry points with esbuild into test/sim/dist (only when a source is newer).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const simDir = path.dirname(fileURLToPath(import.meta.url));
const targets = [
  { entry: path.join(simDir, 'cli.ts'), out: path.join(simDir, 'dist', 'sim.js') },
  { entry: path.join(simDir, 'sqlplus', 'main.ts'), out: path.join(simDir, 'dist', 'sqlplus.js') },
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function stale(out: string, newest = newestSource(simDir)): boolean {
  try {
    return fs.statSync(out).mtimeMs < newest;
  } catch {
    return true;
  }
}

/** Builds every bundle whose entry exists and is stale; returns the bundles built. */
export async function ensureBuilt(): Promise<string[]> {
  const newest = newestSource(simDir);
  const todo = targets.filter((t) => fs.existsSync(t.entry) && stale(t.out, newest));
  if (!todo.length) return [];
  const { build } = await import('esbuild');
  for (const t of todo) {
    const tmp = `${t.out}.${process.pid}.tmp`;
    await build({
      entryPoints: [t.entry], outfile: tmp, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      external: ['esbuild'], logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    fs.renameSync(tmp, t.out);
  }
  return todo.map((t) => t.out);
}

if (import.meta.url.endsWith('/build.ts') && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureBuilt().then(
    (built) => {
      for (const b of built) process.stdout.write(`built ${path.relative(process.cwd(), b)}\n`);
    },
    (e) => {
      process.stderr.write(`build failed: ${e instanceof Error ? e.message : e}\n`);
      process.exitCode = 1;
    },
  );
}

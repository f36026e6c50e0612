// THIRD-PARTY-NOTICES.txt of the offline bundle: every npm package whose code esbuild put into
// lib/*.mjs (from its metafile inputs) or that is copied into vendor/, with its licence text,
// and the third-party licence files a package ships itself (zx: build/3rd-party-licenses).
import fs from 'node:fs';
import path from 'node:path';

interface Pkg {
  name: string;
  version: string;
  license: string;
  dir: string;
}

/** Package directories named by esbuild's metafile inputs (paths relative to root). */
function packagesOf(root: string, inputs: string[], vendored: string[]): Pkg[] {
  const dirs = new Set<string>(vendored.map((n) => path.join('node_modules', n)));
  for (const i of inputs) {
    const m = /^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(i);
    if (m) dirs.add(m[1]);
  }
  return [...dirs]
    .map((d) => {
      const pj = JSON.parse(fs.readFileSync(path.join(root, d, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
      return { name: pj.name, version: pj.version, license: pj.license ?? 'see its licence text', dir: path.join(root, d) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function licenceTexts(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (/^(licen[cs]e|copying|notice|third_party_licenses)/i.test(f) && fs.statSync(path.join(dir, f)).isFile()) {
      out.push({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });
    }
  }
  const bundled = path.join(dir, 'build', '3rd-party-licenses');
  if (fs.existsSync(bundled) && fs.statSync(bundled).isFile()) out.push({ file: 'build/3rd-party-licenses', text: fs.readFileSync(bundled, 'utf8') });
  return out;
}

export function thirdPartyNotices(root: string, inputs: string[], vendored: string[]): string {
  const pkgs = packagesOf(root, inputs, vendored);
  const rule = '='.repeat(78);
  let s =
    'The offline bundle of dr-suite contains code from these packages: in lib/*.mjs (compiled in\n' +
    'by esbuild), and node-oracledb as published in vendor/oracledb. Their licences follow.\n\n' +
    pkgs.map((p) => `  ${p.name} ${p.version} (${p.license})${vendored.includes(p.name) ? ', in vendor/' + p.name : ''}`).join('\n') +
    '\n';
  for (const p of pkgs) {
    for (const l of licenceTexts(p.dir)) s += `\n${rule}\n${p.name} ${p.version}: ${l.file}\n${rule}\n\n${l.text.trimEnd()}\n`;
  }
  return s;
}

// The configurations of `status --all` and `monitor --all`: one file per database
// (etc/dbprod.yaml, etc/dbhml.yaml, ...), every *.yaml / *.yml of one directory except the
// examples (*.example.yaml), in file-name order. The directory is that of the configuration
// the usual rule finds (--config, then DR_CONFIG, then etc/dr.yaml), or --config itself when it
// names a directory.
import fs from 'node:fs';
import path from 'node:path';
import { DrError, ExitCode } from '../errors.ts';
import { configPathFor } from './load.ts';

export function isConfigFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/\.example\.ya?ml$/.test(name) && !name.startsWith('.');
}

export function configDirectoryFor(opts: { configPath?: string; env?: NodeJS.ProcessEnv; projectRoot: string }): string {
  const { file } = configPathFor(opts);
  return fs.existsSync(file) && fs.statSync(file).isDirectory() ? file : path.dirname(file);
}

/** Every configuration file of the directory, sorted; a missing or empty directory is a configuration error. */
export function configFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new DrError(`unable to list the configuration directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: '--all reads every *.yaml of the directory of --config (or --config DIR, DR_CONFIG, etc/)',
      exitCode: ExitCode.CONFIG,
    });
  }
  const files = names.filter(isConfigFileName).sort().map((n) => path.join(dir, n));
  const regular = files.filter((f) => fs.statSync(f).isFile());
  if (!regular.length) {
    throw new DrError(`no configuration file (*.yaml) in ${dir}`, {
      hint: 'write one configuration per database there (e.g. dbprod.yaml, dbhml.yaml, from dr.example.yaml), or name another directory with --config DIR',
      exitCode: ExitCode.CONFIG,
    });
  }
  return regular;
}

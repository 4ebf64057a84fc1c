/**
 * Bundles the Electron shell: main → dist-electron/main.cjs, preload →
 * dist-electron/preload.cjs. electron is provided by the runtime and keytar is a
 * native module that electron-builder rebuilds and ships beside the bundle.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, 'dist-electron');

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outdir,
  outExtension: { '.js': '.cjs' },
  external: ['electron', 'keytar'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(outdir, { recursive: true, force: true });
// Electron 45 runs Node 22 in main and Chromium 140 in the (sandboxed) preload.
await Promise.all([
  build({ ...common, entryPoints: { main: 'electron/main/main.ts' }, target: 'node22' }),
  build({ ...common, entryPoints: { preload: 'electron/preload/preload.ts' }, target: 'chrome140' }),
]);
console.log(`bundled the Electron shell into ${outdir}`);

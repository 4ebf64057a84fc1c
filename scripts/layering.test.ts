import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const probeName = `layering-probe-${process.pid}`;
const probes: string[] = [];

/** Writes a file that breaks one rule, in the folder whose rules it breaks. */
function probe(folder: string, source: string): string {
  const dir = join(root, folder, probeName);
  mkdirSync(dir, { recursive: true });
  const name = `probe-${probes.length}.ts`;
  writeFileSync(join(dir, name), source);
  probes.push(dir);
  return join(folder, probeName, name);
}

afterAll(() => {
  for (const dir of probes) rmSync(dir, { recursive: true, force: true });
});

describe('layering check (npm run layering)', () => {
  it('fails on each import that crosses the rules of ARCHITECTURE.md, naming the rule', () => {
    const files = [
      probe('renderer/src', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"),
      probe('renderer/src', "import { CoreError } from '../../../electron/core/core-error';\nexport const x = CoreError;\n"),
      probe('electron/core', "import { app } from 'electron';\nexport const x = app;\n"),
      probe('shared', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n"),
      probe('service', "import { CoreError } from '../../electron/core/core-error';\nexport const x = CoreError;\n"),
      probe('renderer/src', "import { replaceFileDurably } from '../../../shared/node/durable-file';\nexport const x = replaceFileDurably;\n"),
      probe('shared', "import { replaceFileDurably } from '../node/durable-file';\nexport const x = replaceFileDurably;\n"),
      probe('shared/node', "import { CoreError } from '../../../electron/core/core-error';\nexport const x = CoreError;\n"),
    ];
    const run = spawnSync(join(root, 'node_modules', '.bin', 'depcruise'), ['--config', '.dependency-cruiser.cjs', ...files], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    for (const rule of ['renderer-no-node-builtins', 'renderer-is-sandboxed', 'core-never-imports-electron', 'shared-is-isomorphic', 'service-not-console', 'shared-node-is-node-only']) {
      expect(run.stdout).toContain(`error ${rule}`);
    }
    // One line per violation: each probe above breaks exactly one rule.
    expect(run.stdout.match(/^\s*error /gm)).toHaveLength(files.length);
  });
});

/**
 * Browser mode from the command line: the console core plus the renderer on
 * 127.0.0.1, for machines without an Electron binary and for e2e tests.
 * Prints exactly one JSON line to stdout when ready; everything else goes to stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createConsoleHost } from '../core/console-host';
import { resolveConfigDir } from '../core/config/console-config';
import { resolveConsoleSettings } from '../core/config/resolve-settings';
import { createKeytarVault } from '../core/vault/keytar-vault';
import { startBrowserMode, type BrowserMode } from './browser-mode';

const USAGE = `Usage: npm run console:web -- [options]
  --service-url URL     the service, e.g. https://127.0.0.1:8443 (saved with --fingerprint)
  --fingerprint HEX     SHA-256 SPKI fingerprint the service printed; pinned and saved
                        (without both and nothing saved, the page opens on its Connect screen)
  --config-dir DIR      console settings folder (default: $ATTEST_CONFIG_DIR or $XDG_CONFIG_HOME/attest)
  --port N              port on 127.0.0.1 (default 0: any free port)
  --renderer-dir DIR    built renderer (default: renderer/dist)
  --help`;

const repoRoot = resolve(import.meta.dirname, '..', '..');

class UsageError extends Error {}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        'service-url': { type: 'string' },
        fingerprint: { type: 'string' },
        'config-dir': { type: 'string' },
        port: { type: 'string', default: '0' },
        'renderer-dir': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const flags = parsed.values;
  if (flags.help) {
    console.error(USAGE);
    return;
  }
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${flags.port}`);

  const rendererDir = resolve(flags['renderer-dir'] ?? resolve(repoRoot, 'renderer', 'dist'));
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}: run \`npm run build:renderer\` or pass --renderer-dir.`);
  }
  const configDir = resolveConfigDir(flags['config-dir']);
  const settings = await resolveConsoleSettings(configDir, {
    serviceUrl: flags['service-url'],
    fingerprint: flags.fingerprint,
  });

  // No native dialogs here: audit exports go to <data dir>/exports and the page is told the path;
  // a connection file is chosen in the page. Without settings the page opens on the Connect screen.
  const core = createConsoleHost({ settings, configDir, vault: createKeytarVault(), mode: 'browser', version: packageVersion() });
  let browser: BrowserMode | undefined;
  const shutdown = async (): Promise<void> => {
    await browser?.close();
    await core.close();
  };
  try {
    browser = await startBrowserMode({ core, rendererDir, port });
  } catch (error) {
    await shutdown();
    throw error;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`attest console: error while stopping on ${signal}:`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  process.stdout.write(`${JSON.stringify({ event: 'console-ready', url: browser.url })}\n`);
}

function packageVersion(): string {
  const pkg = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')));
  return pkg.success ? pkg.data.version : '0.0.0';
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`attest console: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`attest console: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

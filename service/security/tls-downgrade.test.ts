import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealService, type RealService } from '../testing/real-service';
import { tlsProfileProblems, type TestsslFinding } from './testssl-verdict';

/** Debian installs testssl.sh as `testssl`; upstream's checkout names it `testssl.sh`. */
const testsslBinary = (): string => {
  for (const name of ['testssl', 'testssl.sh']) if (spawnSync('sh', ['-c', `command -v ${name}`]).status === 0) return name;
  throw new Error('testssl.sh is not installed: run scripts/setup.sh (Debian package testssl.sh)');
};

/**
 * Only what the promise needs (about 15 s): protocols, suites per protocol (-E), cipher
 * categories (-s, where CBC shows up), LUCKY13 and the HTTP headers (HSTS); --fast skips the rest.
 */
const scan = async (url: string): Promise<TestsslFinding[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-testssl-'));
  try {
    const jsonFile = join(dir, 'findings.json');
    // Asynchronously: the service under scan answers from this process.
    const run = await promisify(execFile)(
      testsslBinary(),
      ['--quiet', '--color', '0', '--warnings', 'off', '--fast', '--protocols', '-s', '-E', '--lucky13', '--headers', '--jsonfile', jsonFile, url],
      { encoding: 'utf8', timeout: 150_000, maxBuffer: 16 << 20 },
    );
    try {
      return JSON.parse(readFileSync(jsonFile, 'utf8')) as TestsslFinding[];
    } catch (err) {
      throw new Error(`testssl.sh wrote no findings: ${run.stdout.slice(-2000)}`, { cause: err });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('a client that tries to downgrade TLS (testssl.sh against the running service)', () => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(() => service.close());

  it('finds only TLS 1.2+, only Mozilla intermediate suites, no CBC (LUCKY13) and HSTS served', { timeout: 180_000 }, async () => {
    const findings = await scan(`${service.url}/v1/health`);
    expect(tlsProfileProblems(findings)).toEqual([]);
    expect(findings.filter((f) => f.id.startsWith('cipher-')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('the verdict on a scan', () => {
  /** testssl.sh 3.0.8 against a Node HTTPS server with its default suites and no HSTS header. */
  const nodeDefaults = JSON.parse(readFileSync(join(import.meta.dirname, 'testssl-node-defaults.fixture.json'), 'utf8')) as TestsslFinding[];

  it("fails Node's default suites (what the service offered before: CBC, CCM8, ARIA) and a missing HSTS header", () => {
    const problems = tlsProfileProblems(nodeDefaults);
    for (const expected of [/^cipherlist_AVERAGE offered/, /^LUCKY13 potentially vulnerable/, /AES256-CCM8/, /ARIA256-GCM/, /AES128-SHA /, /^HSTS not offered/]) {
      expect(problems).toContainEqual(expect.stringMatching(expected));
    }
  });

  it('fails an old protocol offered, a scan that listed no suites, and testssl 3.2 naming CBC obsolete', () => {
    const problems = tlsProfileProblems([
      { id: 'TLS1_1', severity: 'LOW', finding: 'offered (deprecated)' },
      { id: 'cipherlist_OBSOLETED', severity: 'LOW', finding: 'offered' },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'TLS1_1 offered (deprecated)',
        'SSLv2 was not tested',
        'neither TLS 1.2 nor TLS 1.3 is offered',
        'no cipher suites were listed (was the scan run with -E?)',
        'cipherlist_OBSOLETED offered',
        'LUCKY13 was not tested',
        'HSTS was not tested',
      ]),
    );
  });
});

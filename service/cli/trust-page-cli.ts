/**
 * `attest-service trust-page verify FILE [--key PUBLIC_KEY_PEM]` and
 * `attest-service trust-page diff A B`: offline, no data directory, no database.
 * Exit codes: 0 all holds (verify) or the diff was printed, 1 the first thing that
 * does not hold (or a file that is not a page), 2 usage.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { diffTrustPages, formatTrustPageDiff } from '../../shared/trust-page/diff';
import { TrustPageParseError } from '../../shared/trust-page/parse';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import { ed25519RawPublicKey, ed25519Verify } from '../audit/ed25519';

export const TRUST_PAGE_USAGE = `Usage:
  attest-service trust-page verify FILE [--key PUBLIC_KEY_PEM]
  attest-service trust-page diff A B

  verify  Check a trust page (its HTML or Markdown, or a snapshot.json bundle) offline: the snapshot's
          Ed25519 signature (with --key, against that key; otherwise against the key the page embeds,
          and say it was not pinned), its hash in its audit event, the event's inclusion proof under the
          signed tree head, and every sentence re-rendered from the snapshot. Exit 0 when all holds,
          1 naming the first thing that does not.
  diff    What changed between two pages or snapshot.json bundles, sentence by sentence per control.
  --key FILE  PEM (SPKI) file of the service's Ed25519 public key`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

class Usage extends Error {}

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new TrustPageParseError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
};

const publicKeyFrom = (path: string): Uint8Array => {
  const text = read(path);
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return ed25519RawPublicKey(key);
  } catch (e) {
    throw new Usage(`--key ${path} is not an Ed25519 public key in PEM: ${(e as Error).message}`);
  }
};

const verify = (args: string[], io: CliIo): number => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { key: { type: 'string' } } });
  if (positionals.length !== 1) throw new Usage('trust-page verify takes one FILE');
  const publicKey = values.key !== undefined ? publicKeyFrom(values.key) : undefined;
  let text: string;
  try {
    text = read(positionals[0]!);
  } catch (e) {
    io.err(`attest-service: ${(e as Error).message}\n`);
    return 1;
  }
  const result = verifyTrustPage(text, { ...(publicKey ? { publicKey } : {}), verify: ed25519Verify });
  if (!result.ok) {
    io.err(`attest-service: trust page does not verify: ${result.code}: ${result.message}\n`);
    io.out(`${JSON.stringify(result)}\n`);
    return 1;
  }
  io.err(
    `Trust page of ${result.subject.name} verifies: snapshot ${result.snapshotId} of ${result.takenAt}, ${result.sentences} sentences, ` +
      `in the log under the signed tree head of size ${result.treeSize}, key ${result.keyId}` +
      `${result.keyPinned ? ' (pinned)' : ' (NOT pinned: checked against the key the page embeds; pass --key to check it is the service’s)'}.\n`,
  );
  io.out(`${JSON.stringify(result)}\n`);
  return 0;
};

const diff = (args: string[], io: CliIo): number => {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  if (positionals.length !== 2) throw new Usage('trust-page diff takes two files, A and B');
  try {
    io.out(formatTrustPageDiff(diffTrustPages(read(positionals[0]!), read(positionals[1]!))));
    return 0;
  } catch (e) {
    if (!(e instanceof TrustPageParseError)) throw e;
    io.err(`attest-service: ${e.message}\n`);
    return 1;
  }
};

/** Runs `trust-page …` (argv after "trust-page"); returns the exit code. */
export const runTrustPageCli = (argv: readonly string[], io: CliIo): number => {
  try {
    if (argv[0] === '-h' || argv[0] === '--help') {
      io.out(`${TRUST_PAGE_USAGE}\n`);
      return 0;
    }
    if (argv[0] === 'verify') return verify(argv.slice(1), io);
    if (argv[0] === 'diff') return diff(argv.slice(1), io);
    throw new Usage(`unknown trust-page command ${argv[0] === undefined ? '(none)' : `"${argv[0]}"`}; use "trust-page verify" or "trust-page diff"`);
  } catch (e) {
    if (e instanceof Usage || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`attest-service: ${(e as Error).message}\n\n${TRUST_PAGE_USAGE}\n`);
      return 2;
    }
    if (e instanceof TrustPageParseError) {
      io.err(`attest-service: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};

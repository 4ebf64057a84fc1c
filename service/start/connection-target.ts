import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionTarget } from '../../shared/connection/connection-file';
import { tlsPaths } from '../tls/certificate';
import { spkiFingerprint } from '../tls/spki-fingerprint';
import { defaultDataDir } from './data-dir';

/**
 * The connection a console needs for this installation: its address and the pin of its
 * certificate, read from the data directory. Read only (no lock), so it works while the
 * service runs; the certificate is made on the service's first start, not here.
 */
export function readConnectionTarget(dataDir: string | undefined, target: Omit<ConnectionTarget, 'fingerprint'>): ConnectionTarget {
  const dir = resolve(dataDir ?? defaultDataDir());
  const path = tlsPaths(dir).cert;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`no service certificate in ${dir} (${path} is missing): start the service once with --data ${dir}, then run this again`);
    }
    throw err;
  }
  return { ...target, fingerprint: spkiFingerprint(pem) };
}

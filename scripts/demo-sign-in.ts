import { join } from 'node:path';
import { defaultDataDir } from '../service/start/data-dir';

/** Where `npm start` keeps the demo officer's sign-in: beside the database and keys it unlocks (0600). */
export const demoSignInFile = (dataDir: string = process.env.ATTEST_DATA_DIR ?? defaultDataDir()): string =>
  join(dataDir, 'demo-sign-in.json');

export interface DemoSignIn {
  email: string;
  password: string;
  totpSecret: string;
}

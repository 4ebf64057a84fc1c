import { readFileSync } from 'node:fs';

/** The package version, read at runtime: package.json is outside this TypeScript project. */
export const SERVICE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

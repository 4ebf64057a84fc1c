/** The service's public API, for the CLI, the benchmark and end-to-end tests. */
export { startService, initService, createOperatorToken, addUser, DEFAULT_HOST, DEFAULT_PORT } from './start/start-service';
export type { StartServiceOptions, RunningService, DataOptions, OperatorTokenResult, DemoCredentials } from './start/start-service';
export { buildServer } from './http/server';
export type { BuildServerOptions } from './http/server';
export type { LoggerOption, TlsIdentity } from './http/app';
export { openDatabase } from './db/open-database';
export type { DatabaseLocation } from './db/open-database';
export type { Db, PlatformTx, TenantTx } from './db/db';
export { ensureCertificate } from './tls/certificate';
export { spkiFingerprint } from './tls/spki-fingerprint';
export { defaultDataDir, pgliteDir } from './start/data-dir';
export { seedDemo } from './demo/demo-seed';
export { ephemeralKeyRing, loadOrCreateKeyRing } from './crypto/key-ring';
export type { KeyRing } from './crypto/key-ring';
export { argon2Hasher, plainCompareHasher, ARGON2_PARAMS } from './identity/passwords';
export type { PasswordHasher } from './identity/passwords';

#!/usr/bin/env tsx
/**
 * attest-service: runs the Attest compliance service (HTTPS), creates its first
 * operator, issues operator tokens, creates tenants and users. stdout carries machine-readable output
 * only (the ready line, a token); everything for humans and all logs go to stderr.
 */
import type { DataOptions, OperatorTokenResult, RunningService } from '../start/start-service';
import { parseCliArgs, UsageError, USAGE, type CliCommand } from './args';

// Loaded after the arguments are parsed, so that --help and usage errors answer at once.
const service = () => import('../start/start-service');

const fail = (message: string, code = 1): never => {
  console.error(`attest-service: ${message}`);
  process.exit(code);
};

const explain = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') return `${e.message}: the port is in use; stop the other process or pass --port 0`;
  if (e.code === 'EACCES' && e.syscall === 'listen') return `${e.message}: not allowed to listen there; choose a port above 1023`;
  return e.message || String(err);
};

/** The CLI's storage: --data, and DATABASE_URL from the environment. */
const dataOptions = (cmd: { dataDir?: string }): DataOptions => {
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  return { ...(cmd.dataDir ? { dataDir: cmd.dataDir } : {}), ...(databaseUrl ? { databaseUrl } : {}) };
};

const serve = async (cmd: Extract<CliCommand, { command: 'serve' }>): Promise<void> => {
  const { startService } = await service();
  let running: RunningService;
  try {
    running = await startService({
      ...dataOptions(cmd),
      ...(cmd.port !== undefined ? { port: cmd.port } : {}),
      ...(cmd.host ? { host: cmd.host } : {}),
      demo: cmd.demo,
      ...(cmd.demoSize === 'large' ? { demoLarge: { progress: (line: string) => console.error(`attest-service: ${line}`) } } : {}),
      logger: { level: process.env.ATTEST_LOG_LEVEL ?? 'info' },
    });
  } catch (err) {
    return fail(explain(err));
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`attest-service: ${signal} again while stopping; still closing the database, please wait`);
      return;
    }
    stopping = true;
    running.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`error while stopping: ${explain(err)}`),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const ready = {
    event: 'ready',
    url: running.url,
    fingerprint: running.fingerprint,
    dataDir: running.dataDir,
    ...(running.demo
      ? {
          demo: {
            token: running.demo.token,
            email: running.demo.email,
            password: running.demo.password,
            totpSecret: running.demo.totpSecret,
            people: running.demo.people,
          },
        }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
};

const printToken = (result: OperatorTokenResult, what: string): void => {
  console.error(`${what} operator "${result.operator.name}" (${result.operator.id}) in ${result.dataDir}.`);
  console.error(`Service certificate SPKI SHA-256 (pin this in the console): ${result.fingerprint}`);
  console.error(`Operator API token "${result.token.label}" (shown once; only its SHA-256 is stored):`);
  process.stdout.write(`${result.token.token}\n`);
};

const init = async (cmd: Extract<CliCommand, { command: 'init' }>): Promise<void> => {
  const { initService } = await service();
  const { OperatorAlreadyExistsError } = await import('../operators/first-operator');
  try {
    printToken(
      await initService({ ...dataOptions(cmd), ...(cmd.name ? { operatorName: cmd.name } : {}) }),
      'Created',
    );
  } catch (err) {
    if (err instanceof OperatorAlreadyExistsError) {
      fail('an operator already exists in this installation; init only creates the first one. Nothing was changed.');
    }
    fail(explain(err));
  }
};

const createToken = async (cmd: Extract<CliCommand, { command: 'token create' }>): Promise<void> => {
  const { createOperatorToken } = await service();
  try {
    printToken(
      await createOperatorToken({
        ...dataOptions(cmd),
        ...(cmd.label ? { label: cmd.label } : {}),
        ...(cmd.operatorId ? { operatorId: cmd.operatorId } : {}),
      }),
      'New token for',
    );
  } catch (err) {
    fail(explain(err));
  }
};

const addUser = async (cmd: Extract<CliCommand, { command: 'user add' }>): Promise<void> => {
  const { addUser: add } = await service();
  try {
    const user = await add({
      ...dataOptions(cmd),
      email: cmd.email,
      ...(cmd.name ? { displayName: cmd.name } : {}),
      ...(cmd.tenant ? { tenant: cmd.tenant } : {}),
      ...(cmd.role ? { role: cmd.role } : {}),
      platformRoles: cmd.platformRoles,
    });
    console.error(`Created user ${user.email} (${user.userId}) in ${user.dataDir} with an enrolled authenticator.`);
    console.error('Password, TOTP secret (base32) and recovery codes are shown once; hand them over securely:');
    process.stdout.write(
      `${JSON.stringify({ userId: user.userId, email: user.email, password: user.password, totpSecret: user.totpSecret, recoveryCodes: user.recoveryCodes })}\n`,
    );
  } catch (err) {
    fail(explain(err));
  }
};

const createTenant = async (cmd: Extract<CliCommand, { command: 'tenant create' }>): Promise<void> => {
  const { createTenantCommand, TenantCreateError } = await service();
  try {
    const { tenant, invite, dataDir } = await createTenantCommand({
      ...dataOptions(cmd),
      name: cmd.name,
      ...(cmd.slug ? { slug: cmd.slug } : {}),
      region: cmd.region,
      plan: cmd.plan,
      ownerEmail: cmd.ownerEmail,
    });
    console.error(`Created tenant "${tenant.name}" (${tenant.slug}, ${tenant.id}) in ${dataDir}; invited ${invite.member.email} as its owner.`);
    console.error('The invitation token is shown once (only its SHA-256 is stored); the owner accepts it in the console before it expires:');
    process.stdout.write(`${JSON.stringify({ tenant, invite })}\n`);
  } catch (err) {
    if (err instanceof TenantCreateError) return fail(err.message, 2);
    fail(explain(err));
  }
};

const auditVerify = async (cmd: Extract<CliCommand, { command: 'audit verify' }>): Promise<void> => {
  const { verifyAudit } = await service();
  let results;
  try {
    results = await verifyAudit({ ...dataOptions(cmd), ...(cmd.tenant ? { tenant: cmd.tenant } : {}) });
  } catch (err) {
    return fail(explain(err));
  }
  const bad = results.find((r) => r.problem);
  if (bad?.problem) {
    return fail(`audit log ${bad.tenantId}: first bad sequence number ${bad.problem.seq}: ${bad.problem.message}`);
  }
  const events = results.reduce((n, r) => n + r.events, 0);
  const heads = results.reduce((n, r) => n + r.heads, 0);
  process.stdout.write(`audit verify: ${results.length} logs, ${events} events, ${heads} signed tree heads: all verified\n`);
};

const auditRotateKey = async (cmd: Extract<CliCommand, { command: 'audit rotate-key' }>): Promise<void> => {
  const { rotateAuditKey } = await service();
  try {
    const { keyId, dataDir } = await rotateAuditKey(dataOptions(cmd));
    console.error(`New audit signing key in ${dataDir}; the previous one is retired and stays published.`);
    process.stdout.write(`${keyId}\n`);
  } catch (err) {
    fail(explain(err));
  }
};

const connectionFile = async (cmd: Extract<CliCommand, { command: 'connection-file' }>): Promise<void> => {
  const { readConnectionTarget } = await import('../start/connection-target');
  const { formatConnectionFile, formatConnectionLink } = await import('../../shared/connection/connection-file');
  let target;
  try {
    target = readConnectionTarget(cmd.dataDir, { serviceUrl: cmd.url, ...(cmd.label ? { label: cmd.label } : {}), ...(cmd.region ? { region: cmd.region } : {}) });
  } catch (err) {
    return fail(explain(err));
  }
  const link = formatConnectionLink(target);
  if (cmd.link) {
    process.stdout.write(`${link}\n`);
    return;
  }
  console.error(`Connection to ${target.serviceUrl} (certificate SPKI SHA-256 ${target.fingerprint}); no secret in it.`);
  console.error(`Save stdout as NAME.attest-connection.json to hand out, or send the same as a link:\n${link}`);
  process.stdout.write(formatConnectionFile(target));
};

const main = async (): Promise<void> => {
  // Offline checks of a downloaded page: no data directory, no database, nothing else loaded.
  if (process.argv[2] === 'trust-page') {
    const { runTrustPageCli } = await import('./trust-page-cli');
    process.exitCode = runTrustPageCli(process.argv.slice(3), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
    return;
  }
  let cmd: CliCommand;
  try {
    cmd = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) return fail(`${err.message}\n\n${USAGE}`, 2);
    throw err;
  }
  if (cmd.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (cmd.command === 'init') return init(cmd);
  if (cmd.command === 'token create') return createToken(cmd);
  if (cmd.command === 'tenant create') return createTenant(cmd);
  if (cmd.command === 'user add') return addUser(cmd);
  if (cmd.command === 'audit verify') return auditVerify(cmd);
  if (cmd.command === 'audit rotate-key') return auditRotateKey(cmd);
  if (cmd.command === 'connection-file') return connectionFile(cmd);
  return serve(cmd);
};

void main();

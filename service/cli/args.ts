import { parseArgs } from 'node:util';
import { SINGLE_LINE_PATTERN } from '../../shared/common/text';
import { PLATFORM_ROLES, PlatformRoleSchema, TENANT_ROLES, TenantRoleSchema, type PlatformRole, type TenantRole } from '../../shared/identity/roles';
import { ConnectionLabelSchema, ServiceUrlSchema } from '../../shared/connection/connection-file';
import { EmailSchema } from '../../shared/identity/schemas';
import { SLUG_MESSAGE, SlugSchema } from '../../shared/tenants/slug';
import { PLANS, PlanSchema, REGIONS, RegionSchema, type Plan, type Region } from '../../shared/tenants/tenant';

export const USAGE = `Usage:
  attest-service [serve] [--data DIR] [--port N] [--host H] [--demo [large]]
  attest-service init [--data DIR] [--name NAME]
  attest-service token create [--data DIR] [--label LABEL] [--operator ID]
  attest-service tenant create --name NAME [--slug SLUG] --region REGION --plan PLAN --owner EMAIL [--data DIR]
  attest-service user add --email EMAIL (--tenant ID|NAME --role ROLE | --platform-role ROLE)… [--name NAME] [--data DIR]
  attest-service audit verify [--tenant ID] [--data DIR]
  attest-service audit rotate-key [--data DIR]
  attest-service trust-page verify FILE [--key PUBLIC_KEY_PEM]
  attest-service trust-page diff A B
  attest-service connection-file [--data DIR] [--url URL] [--label LABEL] [--region REGION] [--link]

Commands:
  serve         Start the HTTPS service (the default). Prints one JSON line to stdout when ready:
                {"event":"ready","url":…,"fingerprint":…,"dataDir":…}
  init          Create the first operator and print its API token once (stdout).
  token create  Issue another API token for an operator (default: the only one) and print it once.
  tenant create Create a tenant (its default security policy) and invite its first owner; prints
                {"tenant":…,"invite":{…,"token"}} once (stdout): the owner accepts the invite in the console.
                Without --slug the slug is derived from the name, which must then be new.
  user add      Create a user with a generated password and an enrolled authenticator; prints
                {"userId","email","password","totpSecret","recoveryCodes"} once (stdout).
  audit verify  Recompute every audit log (or one tenant's, nil UUID = the platform's) from storage and check
                every signed tree head; exit 0 with a summary, or 1 naming the first bad sequence number.
  audit rotate-key  Sign tree heads with a new key from now on; the old public key stays published.
  trust-page verify Check a trust page (HTML, Markdown or snapshot.json) offline: signature, audit log
                inclusion, every sentence; exit 0 when all holds, 1 naming the first failure, 2 on usage.
  trust-page diff   What changed between two trust pages, sentence by sentence (trust-page --help).
  connection-file  Print what a person's console needs to reach this service (its URL and certificate
                pin; no secret): the connection file's JSON on stdout (redirect it to a
                NAME.attest-connection.json file to hand out), the same as an attest://connect?… link on
                stderr; with --link, only the link, on stdout.

Options:
  --data DIR     Data directory (default: $XDG_DATA_HOME/attest/service or ~/.local/share/attest/service)
  --port N       Port to listen on (default 8443; 0 picks a free port)
  --host H       Address to listen on (default 127.0.0.1)
  --demo         On a new data directory, seed demo tenants and a demo operator (token in the ready line)
  --demo large   The demo plus a tenant at scale: 50,000 members, 100,000 sessions, 1,000,000 audit
                 events and 5,000 incidents (progress on stderr; under a minute on PostgreSQL)
  --name NAME    init: the operator's name (default "Initial operator")
  --label LABEL  token create: what the token is for, e.g. "console on ada-laptop" (default "cli")
  --operator ID  token create: the operator's id, needed when there are several
  --slug SLUG    tenant create: the unique URL-safe slug (3-63 lowercase letters, digits and single hyphens)
  --region R     tenant create: ${REGIONS.join(' or ')}
  --plan P       tenant create: ${PLANS.join(', ')}
  --owner EMAIL  tenant create: the first owner's email (they get the invitation)
  --email EMAIL  user add: the user's email
  --name NAME    tenant create: the tenant's name
  --tenant T     user add: a tenant id, slug or exact name to add the user to, with --role;
                 audit verify: the tenant id whose log to verify
  --role ROLE    user add: owner, admin, editor, reviewer or viewer
  --url URL      connection-file: the https:// address people reach the service at (default https://127.0.0.1:8443)
  --label LABEL  connection-file: a name for the service shown in the console, e.g. "Acme EU production"
  --region R     connection-file: the service's region, ${REGIONS.join(' or ')}
  --link         connection-file: print only the link
  --platform-role ROLE  user add: security_officer, incident_responder, platform_admin or auditor (repeatable)
  -h, --help     Show this help

Environment:
  DATABASE_URL       Use this PostgreSQL database instead of PGlite in the data directory
  ATTEST_LOG_LEVEL   Log level (default info); logs go to stderr`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CliCommand =
  | { command: 'help' }
  | { command: 'serve'; dataDir?: string; port?: number; host?: string; demo: boolean; demoSize?: 'large' }
  | { command: 'init'; dataDir?: string; name?: string }
  | { command: 'token create'; dataDir?: string; label?: string; operatorId?: string }
  | { command: 'tenant create'; dataDir?: string; name: string; slug?: string; region: Region; plan: Plan; ownerEmail: string }
  | { command: 'user add'; dataDir?: string; email: string; name?: string; tenant?: string; role?: TenantRole; platformRoles: PlatformRole[] }
  | { command: 'audit verify'; dataDir?: string; tenant?: string }
  | { command: 'audit rotate-key'; dataDir?: string }
  | { command: 'connection-file'; dataDir?: string; url: string; label?: string; region?: Region; link: boolean };

export const DEFAULT_CONNECTION_URL = 'https://127.0.0.1:8443';

const parsePort = (value: string): number => {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return Number(value);
};

const nonEmpty = (flag: string, value: string | undefined): string | undefined => {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} needs a value`);
  // Names and labels are stored (and audited): the same rule as the API's free text.
  if (value !== undefined && !SINGLE_LINE_PATTERN.test(value)) throw new UsageError(`${flag} must be one line of printable text (no control characters)`);
  return value;
};

const OPTIONS = {
  serve: {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    demo: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  init: { data: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  'token create': {
    data: { type: 'string' },
    label: { type: 'string' },
    operator: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  'tenant create': {
    data: { type: 'string' },
    name: { type: 'string' },
    slug: { type: 'string' },
    region: { type: 'string' },
    plan: { type: 'string' },
    owner: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  'user add': {
    data: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    tenant: { type: 'string' },
    role: { type: 'string' },
    'platform-role': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
  'audit verify': { data: { type: 'string' }, tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  'audit rotate-key': { data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  'connection-file': {
    data: { type: 'string' },
    url: { type: 'string' },
    label: { type: 'string' },
    region: { type: 'string' },
    link: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

const commandOf = (argv: readonly string[]): { command: keyof typeof OPTIONS; rest: string[] } => {
  if (argv[0] === 'serve' || argv[0] === 'init' || argv[0] === 'connection-file') return { command: argv[0], rest: argv.slice(1) };
  if (argv[0] === 'token') {
    if (argv[1] !== 'create') throw new UsageError(`unknown token command ${argv[1] === undefined ? '(none)' : `"${argv[1]}"`}; did you mean "token create"?`);
    return { command: 'token create', rest: argv.slice(2) };
  }
  if (argv[0] === 'tenant') {
    if (argv[1] !== 'create') throw new UsageError(`unknown tenant command ${argv[1] === undefined ? '(none)' : `"${argv[1]}"`}; did you mean "tenant create"?`);
    return { command: 'tenant create', rest: argv.slice(2) };
  }
  if (argv[0] === 'user') {
    if (argv[1] !== 'add') throw new UsageError(`unknown user command ${argv[1] === undefined ? '(none)' : `"${argv[1]}"`}; did you mean "user add"?`);
    return { command: 'user add', rest: argv.slice(2) };
  }
  if (argv[0] === 'audit') {
    if (argv[1] === 'verify') return { command: 'audit verify', rest: argv.slice(2) };
    if (argv[1] === 'rotate-key') return { command: 'audit rotate-key', rest: argv.slice(2) };
    throw new UsageError(`unknown audit command ${argv[1] === undefined ? '(none)' : `"${argv[1]}"`}; use "audit verify" or "audit rotate-key"`);
  }
  return { command: 'serve', rest: [...argv] };
};

const tenantCreate = (str: (k: string) => string | undefined, data: { dataDir?: string }): CliCommand => {
  const name = str('name')?.trim();
  if (!name || name.length > 200) throw new UsageError('tenant create needs --name (1 to 200 characters)');
  const slug = str('slug');
  if (slug !== undefined && !SlugSchema.safeParse(slug).success) throw new UsageError(`--slug must be ${SLUG_MESSAGE}`);
  const region = RegionSchema.safeParse(str('region'));
  if (!region.success) throw new UsageError(`tenant create needs --region: ${REGIONS.join(' or ')}`);
  const plan = PlanSchema.safeParse(str('plan'));
  if (!plan.success) throw new UsageError(`tenant create needs --plan: ${PLANS.join(', ')}`);
  const ownerEmail = str('owner');
  if (!ownerEmail || !EmailSchema.safeParse(ownerEmail).success) throw new UsageError('tenant create needs --owner with a valid email address');
  return { command: 'tenant create', ...data, name, ...(slug ? { slug } : {}), region: region.data, plan: plan.data, ownerEmail };
};

const connectionFile = (str: (k: string) => string | undefined, data: { dataDir?: string }, link: boolean): CliCommand => {
  const url = str('url') ?? DEFAULT_CONNECTION_URL;
  if (/^http:/i.test(url)) throw new UsageError('--url must be an https:// address: the console never connects over plain HTTP');
  const checked = ServiceUrlSchema.safeParse(url);
  if (!checked.success) throw new UsageError(`--url: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  const label = str('label');
  if (label !== undefined && !ConnectionLabelSchema.safeParse(label).success) throw new UsageError('--label must be 1 to 100 characters of one line');
  const regionText = str('region');
  const region = regionText === undefined ? undefined : RegionSchema.safeParse(regionText);
  if (region && !region.success) throw new UsageError(`--region must be ${REGIONS.join(' or ')}`);
  return { command: 'connection-file', ...data, url, ...(label ? { label: label.trim() } : {}), ...(region?.success ? { region: region.data } : {}), link };
};

type ArgToken = { kind: 'option'; name: string; index: number } | { kind: 'positional'; value: string; index: number } | { kind: 'option-terminator'; index: number };

/** `--demo large`: the only word serve takes, and only right after --demo. */
const demoSizeOf = (tokens: readonly ArgToken[]): 'large' | undefined => {
  let size: 'large' | undefined;
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== 'positional') continue;
    const before = tokens[i - 1];
    if (token.value !== 'large' || before?.kind !== 'option' || before.name !== 'demo' || before.index !== token.index - 1) {
      throw new UsageError(`unexpected argument "${token.value}"; the only word serve takes is "large" after --demo`);
    }
    size = 'large';
  }
  return size;
};

export const parseCliArgs = (argv: readonly string[]): CliCommand => {
  const { command, rest } = commandOf(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, strict: true, allowPositionals: command === 'serve', tokens: true, options: OPTIONS[command] });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const demoSize = command === 'serve' ? demoSizeOf(parsed.tokens) : undefined;
  const v: Record<string, unknown> = parsed.values;
  if (v.help === true) return { command: 'help' };
  const str = (k: string): string | undefined => {
    const value = v[k];
    return nonEmpty(`--${k}`, typeof value === 'string' ? value : undefined);
  };
  const dataDir = str('data');
  const data = dataDir ? { dataDir } : {};
  if (command === 'init') {
    const name = str('name');
    return { command, ...data, ...(name ? { name } : {}) };
  }
  if (command === 'token create') {
    const label = str('label');
    const operatorId = str('operator');
    return { command, ...data, ...(label ? { label } : {}), ...(operatorId ? { operatorId } : {}) };
  }
  if (command === 'audit verify') {
    const tenant = str('tenant');
    if (tenant !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenant)) {
      throw new UsageError('--tenant must be a tenant id (a UUID; the nil UUID names the platform log)');
    }
    return { command, ...data, ...(tenant ? { tenant: tenant.toLowerCase() } : {}) };
  }
  if (command === 'audit rotate-key') return { command, ...data };
  if (command === 'connection-file') return connectionFile(str, data, v.link === true);
  if (command === 'tenant create') return tenantCreate(str, data);
  if (command === 'user add') {
    const email = str('email');
    if (!email || !EmailSchema.safeParse(email).success) throw new UsageError('user add needs --email with a valid email address');
    const roleText = str('role');
    const role = roleText === undefined ? undefined : TenantRoleSchema.safeParse(roleText);
    if (role && !role.success) throw new UsageError(`--role must be one of ${TENANT_ROLES.join(', ')}`);
    const tenant = str('tenant');
    if ((tenant === undefined) !== (role === undefined)) throw new UsageError('--tenant and --role go together');
    const rawPlatform = v['platform-role'];
    const platformRoles = (Array.isArray(rawPlatform) ? rawPlatform : []).map((r: unknown) => {
      const parsed = PlatformRoleSchema.safeParse(r);
      if (!parsed.success) throw new UsageError(`--platform-role must be one of ${PLATFORM_ROLES.join(', ')}`);
      return parsed.data;
    });
    if (!tenant && platformRoles.length === 0) throw new UsageError('user add needs --tenant and --role, or --platform-role');
    const name = str('name');
    return {
      command,
      ...data,
      email,
      ...(name ? { name } : {}),
      ...(tenant ? { tenant } : {}),
      ...(role?.success ? { role: role.data } : {}),
      platformRoles,
    };
  }
  const port = str('port');
  const host = str('host');
  return {
    command: 'serve',
    ...data,
    ...(port !== undefined ? { port: parsePort(port) } : {}),
    ...(host ? { host } : {}),
    demo: v.demo === true,
    ...(demoSize ? { demoSize } : {}),
  };
};

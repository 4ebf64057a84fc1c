import { parseArgs } from 'node:util';

export const USAGE = `Usage:
  attest-service [serve] [--data DIR] [--port N] [--host H] [--demo]
  attest-service init [--data DIR] [--name NAME]
  attest-service token create [--data DIR] [--label LABEL] [--operator ID]

Commands:
  serve         Start the HTTPS service (the default). Prints one JSON line to stdout when ready:
                {"event":"ready","url":…,"fingerprint":…,"dataDir":…}
  init          Create the first operator and print its API token once (stdout).
  token create  Issue another API token for an operator (default: the only one) and print it once.

Options:
  --data DIR     Data directory (default: $XDG_DATA_HOME/attest/service or ~/.local/share/attest/service)
  --port N       Port to listen on (default 8443; 0 picks a free port)
  --host H       Address to listen on (default 127.0.0.1)
  --demo         On a new data directory, seed demo tenants and a demo operator (token in the ready line)
  --name NAME    init: the operator's name (default "Initial operator")
  --label LABEL  token create: what the token is for, e.g. "console on ada-laptop" (default "cli")
  --operator ID  token create: the operator's id, needed when there are several
  -h, --help     Show this help

Environment:
  DATABASE_URL       Use this PostgreSQL database instead of PGlite in the data directory
  ATTEST_LOG_LEVEL   Log level (default info); logs go to stderr`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CliCommand =
  | { command: 'help' }
  | { command: 'serve'; dataDir?: string; port?: number; host?: string; demo: boolean }
  | { command: 'init'; dataDir?: string; name?: string }
  | { command: 'token create'; dataDir?: string; label?: string; operatorId?: string };

const parsePort = (value: string): number => {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return Number(value);
};

const nonEmpty = (flag: string, value: string | undefined): string | undefined => {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} needs a value`);
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
} as const;

const commandOf = (argv: readonly string[]): { command: keyof typeof OPTIONS; rest: string[] } => {
  if (argv[0] === 'serve' || argv[0] === 'init') return { command: argv[0], rest: argv.slice(1) };
  if (argv[0] === 'token') {
    if (argv[1] !== 'create') throw new UsageError(`unknown token command ${argv[1] === undefined ? '(none)' : `"${argv[1]}"`}; did you mean "token create"?`);
    return { command: 'token create', rest: argv.slice(2) };
  }
  return { command: 'serve', rest: [...argv] };
};

export const parseCliArgs = (argv: readonly string[]): CliCommand => {
  const { command, rest } = commandOf(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, strict: true, allowPositionals: false, options: OPTIONS[command] });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
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
  const port = str('port');
  const host = str('host');
  return {
    command: 'serve',
    ...data,
    ...(port !== undefined ? { port: parsePort(port) } : {}),
    ...(host ? { host } : {}),
    demo: v.demo === true,
  };
};

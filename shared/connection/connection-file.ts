import { z } from 'zod';
import { SingleLineText } from '../common/text';
import { RegionSchema } from '../tenants/tenant';
import { normalizeFingerprint, SpkiFingerprintSchema } from '../tls/fingerprint';

/**
 * What an admin hands a person so their console can reach the service: the
 * service URL and the SPKI SHA-256 pin of its certificate (optionally a label and
 * the region). Two forms of the same content:
 *
 * - a connection file (`*.attest-connection.json`):
 *   {"format":"attest-connection","version":1,"serviceUrl":"https://…","fingerprint":"<64 hex>","label":"…","region":"eu"}
 * - a connection link, for chat or email:
 *   attest://connect?v=1&url=<URL, percent-encoded>&pin=<64 hex>[&label=…][&region=eu]
 *
 * Neither holds a secret: the pin is public, and it is what makes the console
 * refuse any other server that answers at that address.
 */
export const CONNECTION_FORMAT = 'attest-connection';
export const CONNECTION_VERSION = 1;
export const CONNECTION_LINK_PREFIX = 'attest://connect?';
/** A connection file is a few hundred bytes; anything much larger is not one. */
export const MAX_CONNECTION_BYTES = 16 * 1024;

export const ConnectionLabelSchema = SingleLineText.trim().min(1).max(100);

export const ServiceUrlSchema = z
  .url({ protocol: /^https$/, error: 'expected an https:// URL' })
  .max(2048)
  // zod runs this even when the URL check above failed: only a URL's parts are checked here.
  .refine((url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return true;
    }
    return parsed.username === '' && parsed.password === '' && parsed.search === '' && parsed.hash === '';
  }, 'expected a service address only: no user, password, query or fragment');

export const ConnectionFileSchema = z
  .object({
    format: z.literal(CONNECTION_FORMAT),
    version: z.literal(CONNECTION_VERSION),
    serviceUrl: ServiceUrlSchema,
    fingerprint: z.preprocess((v) => (typeof v === 'string' ? normalizeFingerprint(v) : v), SpkiFingerprintSchema),
    label: ConnectionLabelSchema.optional(),
    region: RegionSchema.optional(),
  })
  .strict();
export type ConnectionFile = z.infer<typeof ConnectionFileSchema>;

/** A service to connect to, whichever form it came in. */
export type ConnectionTarget = Omit<ConnectionFile, 'format' | 'version'>;

export type ConnectionProblemCode =
  | 'connection_too_large'
  | 'connection_unreadable'
  | 'connection_unknown_version'
  | 'connection_insecure_url'
  | 'connection_bad_fingerprint'
  | 'connection_invalid';

export type ParsedConnection = { ok: true; target: ConnectionTarget } | { ok: false; code: ConnectionProblemCode; message: string };

const ASK = 'Ask your administrator for a new one (`attest-service connection-file` prints it).';

const problem = (code: ConnectionProblemCode, message: string): ParsedConnection => ({ ok: false, code, message });

/** The file's JSON text, checked against the schema. */
export function parseConnectionFile(text: string): ParsedConnection {
  if (new TextEncoder().encode(text).length > MAX_CONNECTION_BYTES) {
    return problem('connection_too_large', `This is larger than a connection file can be (${MAX_CONNECTION_BYTES / 1024} KiB at most). ${ASK}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return problem('connection_unreadable', `This is not a connection file (it is not JSON). ${ASK}`);
  }
  return checkFields(json);
}

/** An attest://connect?… link. */
export function parseConnectionLink(link: string): ParsedConnection {
  const text = link.trim();
  if (text.length > MAX_CONNECTION_BYTES) return problem('connection_too_large', `This is longer than a connection link can be. ${ASK}`);
  if (!text.toLowerCase().startsWith(CONNECTION_LINK_PREFIX)) {
    return problem('connection_unreadable', `A connection link starts with ${CONNECTION_LINK_PREFIX}; this one does not. Paste the whole link. ${ASK}`);
  }
  const params = new URLSearchParams(text.slice(CONNECTION_LINK_PREFIX.length));
  const version = params.get('v');
  const fields: Record<string, unknown> = {
    format: CONNECTION_FORMAT,
    version: version !== null && /^\d{1,6}$/.test(version) ? Number(version) : version,
    serviceUrl: params.get('url') ?? undefined,
    fingerprint: params.get('pin') ?? undefined,
  };
  for (const key of ['label', 'region']) if (params.has(key)) fields[key] = params.get(key);
  const known = new Set(['v', 'url', 'pin', 'label', 'region']);
  const unknown = [...params.keys()].find((key) => !known.has(key));
  if (unknown !== undefined) return problem('connection_invalid', `This link has a part this console does not know ("${unknown.slice(0, 40)}"). ${ASK}`);
  return checkFields(fields);
}

/** Whatever was pasted: a link, or the file's text. */
export const parseConnectionText = (text: string): ParsedConnection =>
  text.trim().startsWith('{') ? parseConnectionFile(text) : parseConnectionLink(text);

/** Fields typed by hand (URL and fingerprint), checked like a file's. */
export const parseConnectionFields = (fields: { serviceUrl: string; fingerprint: string; label?: string; region?: string }): ParsedConnection =>
  checkFields({ format: CONNECTION_FORMAT, version: CONNECTION_VERSION, ...fields, serviceUrl: fields.serviceUrl.trim() });

function checkFields(json: unknown): ParsedConnection {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || (json as { format?: unknown }).format !== CONNECTION_FORMAT) {
    return problem('connection_unreadable', `This is not an Attest connection file. ${ASK}`);
  }
  const version = (json as { version?: unknown }).version;
  if (version !== CONNECTION_VERSION) {
    return problem(
      'connection_unknown_version',
      `This connection file has version ${JSON.stringify(version) ?? '(none)'}; this console reads version ${CONNECTION_VERSION}. Update the console, or ask your administrator for a version ${CONNECTION_VERSION} file.`,
    );
  }
  const url = (json as { serviceUrl?: unknown }).serviceUrl;
  if (typeof url === 'string' && /^http:/i.test(url.trim())) {
    return problem('connection_insecure_url', `The service address ${url.slice(0, 200)} is plain HTTP; the console only connects over HTTPS. ${ASK}`);
  }
  const parsed = ConnectionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    if (field === 'fingerprint') {
      return problem('connection_bad_fingerprint', `The fingerprint is not a SHA-256 pin (64 hexadecimal characters); it may have been cut or altered. ${ASK}`);
    }
    return problem('connection_invalid', `${field || 'The file'}: ${issue?.message ?? 'invalid'}. ${ASK}`);
  }
  const { format: _format, version: _version, ...target } = parsed.data;
  return { ok: true, target };
}

/** The file form, as pretty JSON. */
export const formatConnectionFile = (target: ConnectionTarget): string =>
  `${JSON.stringify(ConnectionFileSchema.parse({ format: CONNECTION_FORMAT, version: CONNECTION_VERSION, ...target }), null, 2)}\n`;

/** The link form of the same content. */
export function formatConnectionLink(target: ConnectionTarget): string {
  const checked = ConnectionFileSchema.parse({ format: CONNECTION_FORMAT, version: CONNECTION_VERSION, ...target });
  const params = new URLSearchParams({ v: String(CONNECTION_VERSION), url: checked.serviceUrl, pin: checked.fingerprint });
  if (checked.label !== undefined) params.set('label', checked.label);
  if (checked.region !== undefined) params.set('region', checked.region);
  return `${CONNECTION_LINK_PREFIX}${params.toString()}`;
}

/** The pin in groups of four for reading aloud or comparing by eye: "3a7f 09c2 …". */
export const groupFingerprint = (fingerprint: string): string => fingerprint.match(/.{1,4}/g)?.join(' ') ?? fingerprint;

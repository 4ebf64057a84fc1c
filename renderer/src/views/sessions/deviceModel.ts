import Bowser from 'bowser';
import type { SessionFlag } from '../../../../shared/sessions/schemas';

/** A session's device as an admin reads it: browser, OS and kind of device, parsed from the user agent. */
export interface ParsedDevice {
  readonly browser: string | null;
  readonly os: string | null;
  readonly kind: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'unknown';
  /** One line: "Chrome 120 on macOS 14", or what could be read of it. */
  readonly summary: string;
}

const UNKNOWN: ParsedDevice = { browser: null, os: null, kind: 'unknown', summary: 'Unknown device' };

const major = (version: string | undefined): string => (version ? ` ${version.split('.')[0] ?? version}` : '');

/**
 * Parsed devices by user agent. A tenant's 100,000 sessions come from a few hundred clients, and a
 * scrolling table parses each row it mounts; bounded, so a list of unique agents cannot grow it.
 */
const parsedByAgent = new Map<string, ParsedDevice>();
const PARSED_KEPT = 1000;

export const parseDevice = (userAgent: string | null): ParsedDevice => {
  if (!userAgent || userAgent.trim() === '') return UNKNOWN;
  const known = parsedByAgent.get(userAgent);
  if (known) return known;
  const parsed = parseAgent(userAgent);
  if (parsedByAgent.size >= PARSED_KEPT) parsedByAgent.clear();
  parsedByAgent.set(userAgent, parsed);
  return parsed;
};

const parseAgent = (userAgent: string): ParsedDevice => {
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name ? `${parsed.browser.name}${major(parsed.browser.version)}` : null;
  const osVersion = parsed.os.versionName ?? parsed.os.version;
  const os = parsed.os.name ? `${parsed.os.name}${osVersion ? ` ${osVersion}` : ''}` : null;
  const type = parsed.platform.type;
  const kind = type === 'desktop' || type === 'mobile' || type === 'tablet' || type === 'tv' ? type : 'unknown';
  const summary = browser && os ? `${browser} on ${os}` : (browser ?? os ?? 'Unrecognised client');
  return { browser, os, kind, summary };
};

/** Each flag with what it means, for the person page and the Sessions view. */
export const FLAG_MEANINGS: Record<SessionFlag, { label: string; meaning: string }> = {
  new_device: { label: 'New device', meaning: 'First sign-in of this person from this browser and device.' },
  new_ip: { label: 'New IP', meaning: 'First sign-in of this person from this network address.' },
  after_failures: { label: 'After failures', meaning: 'Signed in right after several failed attempts on this account: check it was them.' },
};

import type { TimeZoneChoice } from './dateTime';

/**
 * Times as people type them into the console: "2026-12-05 14:30", 24-hour, ISO order, in the
 * zone the console shows times in (local, or UTC by the setting), whatever the desk's locale.
 * A browser's own date-time picker follows the locale instead (12-hour, month first in en-US),
 * so the console's fields are text read here. A full ISO instant with Z or an offset, pasted
 * from a log, means that instant in any zone.
 */
export type FieldTime = { ok: true; ms: number } | { ok: false; message: string };

export const FIELD_PLACEHOLDER = 'YYYY-MM-DD HH:MM';
export const DAY_PLACEHOLDER = 'YYYY-MM-DD';

const TYPED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const walls = new Map<string, Intl.DateTimeFormat>();
const wallFormat = (timeZone: string | undefined): Intl.DateTimeFormat => {
  const key = timeZone ?? '';
  let f = walls.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    walls.set(key, f);
  }
  return f;
};

/** The wall clock of an instant in a zone (undefined: this desk's zone). */
const wallOf = (ms: number, timeZone: string | undefined): Wall => {
  const parts: Record<string, number> = {};
  for (const p of wallFormat(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
};

const asUtc = (w: Wall): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
const zoneOf = (zone: TimeZoneChoice, timeZone: string | undefined): string | undefined => (zone === 'utc' ? 'UTC' : timeZone);

/**
 * The instant a wall time names in a zone. Where clocks go back it names two: the earlier is
 * taken. Where they go forward it names none, and null says so (the field must not quietly
 * move a typed 02:30 to 03:30).
 */
const instantOf = (wall: Wall, timeZone: string | undefined): number | null => {
  const guess = asUtc(wall);
  const candidates = new Set<number>();
  for (const probe of [guess - 86_400_000, guess, guess + 86_400_000]) {
    const offset = asUtc(wallOf(probe, timeZone)) - Math.floor(probe / 1000) * 1000;
    candidates.add(guess - offset);
  }
  const matching = [...candidates].filter((ms) => asUtc(wallOf(ms, timeZone)) === guess).sort((a, b) => a - b);
  return matching[0] ?? null;
};

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a field shows it, to the minute, in the shown zone: "2026-12-05 14:30" ('' for none). */
export const toFieldText = (value: string | number | null, zone: TimeZoneChoice, timeZone?: string): string => {
  if (value === null || value === '') return '';
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return '';
  const w = wallOf(ms, zoneOf(zone, timeZone));
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
};

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** What was typed as an instant, or what to type instead. Empty text is for the caller to allow or refuse. */
export const parseFieldText = (text: string, zone: TimeZoneChoice, timeZone?: string): FieldTime => {
  const m = TYPED.exec(text.trim());
  if (!m) return { ok: false, message: `type it as ${FIELD_PLACEHOLDER}, 24-hour (for example 2026-03-09 14:30)` };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  if (year < 1970) return { ok: false, message: 'enter a year from 1970 on' };
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, message: `there is no date ${m[1]}-${m[2]}-${m[3]}` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, message: 'hours run 00–23 and minutes 00–59' };
  const wall = { year, month, day, hour, minute, second };
  const offset = m[7]?.toUpperCase();
  if (offset !== undefined) {
    const sign = offset === 'Z' ? 0 : offset.startsWith('-') ? -1 : 1;
    const digits = offset.replace(/[^0-9]/g, '');
    const minutes = offset === 'Z' ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    return { ok: true, ms: asUtc(wall) - minutes * 60_000 };
  }
  const ms = instantOf(wall, zoneOf(zone, timeZone));
  if (ms === null) return { ok: false, message: `${text.trim()} does not exist in your time zone (the clocks went forward); use the hour after` };
  return { ok: true, ms };
};

/** A calendar day as typed ("2027-01-04", no time, no zone), or what to type instead. */
export const parseDayText = (text: string): { ok: true; day: string } | { ok: false; message: string } => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return { ok: false, message: `type it as ${DAY_PLACEHOLDER} (for example 2027-01-04)` };
  const [year, month, day] = m.slice(1, 4).map(Number) as [number, number, number];
  if (year < 1970) return { ok: false, message: 'enter a year from 1970 on' };
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, message: `there is no date ${m[0]}` };
  return { ok: true, day: m[0] };
};

const names = new Map<string, Intl.DateTimeFormat>();
/** The zone a field's time is read in, as the formatter names it: "UTC", "GMT+5:30", "CET". */
export const fieldZoneName = (zone: TimeZoneChoice, at: number, timeZone?: string): string => {
  const key = zoneOf(zone, timeZone) ?? '';
  let f = names.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: zoneOf(zone, timeZone), timeZoneName: 'short' });
    names.set(key, f);
  }
  return f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? (zone === 'utc' ? 'UTC' : 'local');
};

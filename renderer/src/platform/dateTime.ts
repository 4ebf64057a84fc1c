/**
 * The console's one date-time formatter: 24-hour, the zone always shown, local time by
 * default (the zone setting switches every view to UTC), and the UTC instant for a hover.
 * Views format through here, never with their own Intl.DateTimeFormat, so a time reads the
 * same everywhere and a responder comparing two screens compares like with like.
 */
export type TimeZoneChoice = 'local' | 'utc';
export type DateTimeStyle = 'dateTime' | 'dateTimeSeconds' | 'date' | 'time';

const OPTIONS: Record<DateTimeStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  dateTimeSeconds: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  date: { year: 'numeric', month: '2-digit', day: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
};

const cache = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (style: DateTimeStyle, zone: TimeZoneChoice, timeZone?: string): Intl.DateTimeFormat => {
  const key = `${style}|${zone}|${timeZone ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    // sv-SE gives ISO-like order (2026-12-05 01:23); the zone name follows.
    f = new Intl.DateTimeFormat('sv-SE', { ...OPTIONS[style], timeZone: zone === 'utc' ? 'UTC' : timeZone });
    cache.set(key, f);
  }
  return f;
};

const toDate = (value: string | number | Date): Date | null => {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "2026-12-05 01:23 GMT+1" (local) or "2026-12-05 00:23 UTC"; "—" for a value that is not a time. */
export const formatDateTime = (
  value: string | number | Date | null | undefined,
  opts: { zone?: TimeZoneChoice; style?: DateTimeStyle; timeZone?: string } = {},
): string => {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  if (!d) return '—';
  return formatterFor(opts.style ?? 'dateTime', opts.zone ?? 'local', opts.timeZone).format(d);
};

/**
 * The exact instant in UTC, for a title attribute: "2026-12-05 00:23:07 UTC". Tables put one on
 * every time cell, so years 1000-9999 are cut from the ISO string (the formatter's output, at a
 * fraction of its cost); others go through the formatter.
 */
export const utcInstant = (value: string | number | Date): string => {
  const d = toDate(value);
  if (!d) return '';
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return formatterFor('dateTimeSeconds', 'utc').format(d);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
};

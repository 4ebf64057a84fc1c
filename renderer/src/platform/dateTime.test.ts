import { describe, expect, it } from 'vitest';
import { formatDateTime, utcInstant } from './dateTime';

describe('the one date-time formatter', () => {
  const at = '2026-12-05T00:23:07.000Z';

  it('shows UTC with its zone, 24-hour', () => {
    expect(formatDateTime(at, { zone: 'utc' })).toBe('2026-12-05 00:23 UTC');
    expect(formatDateTime('2026-12-05T15:04:00Z', { zone: 'utc' })).toBe('2026-12-05 15:04 UTC');
  });

  it('shows local time with the local zone named', () => {
    expect(formatDateTime(at, { timeZone: 'Europe/Berlin' })).toBe('2026-12-05 01:23 CET');
    expect(formatDateTime('2026-07-01T22:00:00Z', { timeZone: 'America/New_York' })).toBe('2026-07-01 18:00 GMT−4');
  });

  it('gives the exact UTC instant for a hover', () => {
    expect(utcInstant(at)).toBe('2026-12-05 00:23:07 UTC');
  });

  it('gives the UTC instant to the second across years, leap days and dates outside 1000-9999', () => {
    expect(utcInstant('1970-01-01T00:00:00Z')).toBe('1970-01-01 00:00:00 UTC');
    expect(utcInstant('2024-02-29T23:59:59.999Z')).toBe('2024-02-29 23:59:59 UTC');
    expect(utcInstant('9999-12-31T23:59:59Z')).toBe('9999-12-31 23:59:59 UTC');
    expect(utcInstant(1_700_000_000_000)).toBe('2023-11-14 22:13:20 UTC');
    expect(utcInstant('0999-12-31T12:00:00Z')).toBe('999-12-31 12:00:00 UTC');
    expect(utcInstant(new Date(Date.UTC(12_000, 0, 1)))).toBe('12000-01-01 00:00:00 UTC');
  });

  it('says — for no time or a value that is not a time, instead of "Invalid Date"', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('yesterday')).toBe('—');
    expect(utcInstant('nope')).toBe('');
  });
});

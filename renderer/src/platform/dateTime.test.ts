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

  it('says — for no time or a value that is not a time, instead of "Invalid Date"', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('yesterday')).toBe('—');
    expect(utcInstant('nope')).toBe('');
  });
});

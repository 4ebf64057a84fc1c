import { describe, expect, it } from 'vitest';
import { fieldZoneName, parseDayText, parseFieldText, toFieldText } from './dateTimeInput';

const at = (text: string, zone: 'local' | 'utc', timeZone?: string) => {
  const r = parseFieldText(text, zone, timeZone);
  return r.ok ? new Date(r.ms).toISOString() : r.message;
};

describe('typed date-times', () => {
  it('reads 24-hour ISO-order text in the shown zone, with a space or a T, seconds optional', () => {
    expect(at('2026-03-09 14:30', 'utc')).toBe('2026-03-09T14:30:00.000Z');
    expect(at('  2026-03-09T14:30:15 ', 'utc')).toBe('2026-03-09T14:30:15.000Z');
    expect(at('2026-03-09 14:30', 'local', 'Asia/Kolkata')).toBe('2026-03-09T09:00:00.000Z');
    expect(at('2026-07-01 00:00', 'local', 'America/St_Johns')).toBe('2026-07-01T02:30:00.000Z');
    // The UTC setting wins over the desk's zone.
    expect(at('2026-03-09 14:30', 'utc', 'Asia/Kolkata')).toBe('2026-03-09T14:30:00.000Z');
  });

  it('takes a pasted instant with Z or an offset as that instant, whatever the zone', () => {
    expect(at('2026-03-09T14:30:00.123Z', 'local', 'Asia/Kolkata')).toBe('2026-03-09T14:30:00.000Z');
    expect(at('2026-03-09T14:30:00+05:30', 'utc')).toBe('2026-03-09T09:00:00.000Z');
    expect(at('2026-03-09 14:30-0330', 'utc')).toBe('2026-03-09T18:00:00.000Z');
  });

  it('refuses 12-hour, month-first and impossible times with what to type instead', () => {
    const format = 'type it as YYYY-MM-DD HH:MM, 24-hour (for example 2026-03-09 14:30)';
    expect(at('03/09/2026, 02:30 PM', 'utc')).toBe(format);
    expect(at('2026-03-09 2:30 PM', 'utc')).toBe(format);
    expect(at('2026-03-09', 'utc')).toBe(format);
    expect(at('', 'utc')).toBe(format);
    expect(at('2026-02-29 10:00', 'utc')).toBe('there is no date 2026-02-29');
    expect(at('2028-02-29 10:00', 'utc')).toBe('2028-02-29T10:00:00.000Z');
    expect(at('2026-13-01 10:00', 'utc')).toBe('there is no date 2026-13-01');
    expect(at('2026-03-09 24:00', 'utc')).toBe('hours run 00–23 and minutes 00–59');
    expect(at('2026-03-09 23:60', 'utc')).toBe('hours run 00–23 and minutes 00–59');
    // Four digits that Date.UTC would read as 1950.
    expect(at('0050-01-01 00:00', 'utc')).toBe('enter a year from 1970 on');
  });

  it('refuses a local time the clocks skipped instead of moving it, and takes the first of a repeated hour', () => {
    expect(at('2026-03-29 02:30', 'local', 'Europe/Berlin')).toBe('2026-03-29 02:30 does not exist in your time zone (the clocks went forward); use the hour after');
    expect(at('2026-03-29 03:30', 'local', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(at('2026-03-29 01:59', 'local', 'Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    // 02:30 happens twice on 25 October: the earlier (still summer time, +02:00).
    expect(at('2026-10-25 02:30', 'local', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-03-29 02:30', 'utc', 'Europe/Berlin')).toBe('2026-03-29T02:30:00.000Z');
  });

  it('shows an instant as the field takes it back, to the minute, in the shown zone', () => {
    expect(toFieldText('2026-03-09T09:00:59.999Z', 'local', 'Asia/Kolkata')).toBe('2026-03-09 14:30');
    expect(toFieldText('2026-03-09T09:00:59.999Z', 'utc', 'Asia/Kolkata')).toBe('2026-03-09 09:00');
    expect(toFieldText(null, 'utc')).toBe('');
    expect(toFieldText('not a time', 'utc')).toBe('');
    for (const zone of ['Asia/Kolkata', 'Europe/Berlin', 'America/St_Johns', 'Pacific/Chatham']) {
      const iso = '2026-10-25T00:30:00.000Z';
      expect(at(toFieldText(iso, 'local', zone), 'local', zone)).toBe(iso);
    }
  });

  it('names the zone a field is read in, at the time typed', () => {
    expect(fieldZoneName('utc', Date.parse('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe('UTC');
    expect(fieldZoneName('local', Date.parse('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe('GMT+5:30');
    expect(fieldZoneName('local', Date.parse('2026-01-01T00:00:00Z'), 'Europe/Berlin')).not.toBe(fieldZoneName('local', Date.parse('2026-07-01T00:00:00Z'), 'Europe/Berlin'));
  });
});

describe('typed days', () => {
  it('takes a real calendar day in ISO order and refuses anything else with what to type', () => {
    expect(parseDayText(' 2028-02-29 ')).toEqual({ ok: true, day: '2028-02-29' });
    expect(parseDayText('2027-02-29')).toEqual({ ok: false, message: 'there is no date 2027-02-29' });
    expect(parseDayText('01/04/2027')).toEqual({ ok: false, message: 'type it as YYYY-MM-DD (for example 2027-01-04)' });
    expect(parseDayText('2027-1-4')).toEqual({ ok: false, message: 'type it as YYYY-MM-DD (for example 2027-01-04)' });
    expect(parseDayText('0999-01-04')).toEqual({ ok: false, message: 'enter a year from 1970 on' });
  });
});

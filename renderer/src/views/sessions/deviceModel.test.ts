import { describe, expect, it } from 'vitest';
import { FLAG_MEANINGS, parseDevice } from './deviceModel';
import { SESSION_FLAGS } from '../../../../shared/sessions/schemas';

describe('parsed session devices', () => {
  it('reads browser, OS and kind from real user agents', () => {
    expect(parseDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36')).toEqual({
      browser: 'Chrome 120',
      os: 'macOS Catalina',
      kind: 'desktop',
      summary: 'Chrome 120 on macOS Catalina',
    });
    const phone = parseDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1');
    expect([phone.browser, phone.kind]).toEqual(['Safari 17', 'mobile']);
    expect(phone.os).toMatch(/^iOS/);
  });

  it('says so when there is nothing to read, and never throws on junk', () => {
    expect(parseDevice(null).summary).toBe('Unknown device');
    expect(parseDevice('   ').summary).toBe('Unknown device');
    expect(parseDevice('curl/8.4.0').summary).toMatch(/./);
    expect(parseDevice('\u0000\u202e<script>').summary).toBe('Unrecognised client');
  });

  it('parses an agent once and answers the same for it after many others', () => {
    const agent = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
    const first = parseDevice(agent);
    expect(parseDevice(agent)).toBe(first);
    // More distinct agents than are kept: the cache starts over, and the answer is still right.
    for (let i = 0; i < 1500; i++) parseDevice(`probe-client/${i}.0`);
    const again = parseDevice(agent);
    expect(again).toEqual({ browser: 'Firefox 121', os: 'Linux', kind: 'desktop', summary: 'Firefox 121 on Linux' });
  });

  it('explains every flag the service can set', () => {
    for (const flag of SESSION_FLAGS) expect(FLAG_MEANINGS[flag].meaning.length).toBeGreaterThan(10);
  });
});

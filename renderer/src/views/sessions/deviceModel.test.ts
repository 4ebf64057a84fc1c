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

  it('explains every flag the service can set', () => {
    for (const flag of SESSION_FLAGS) expect(FLAG_MEANINGS[flag].meaning.length).toBeGreaterThan(10);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './args';

describe('parseCliArgs', () => {
  it('serves by default', () => {
    expect(parseCliArgs([])).toEqual({ command: 'serve', demo: false });
    expect(parseCliArgs(['serve', '--data', '/d', '--port', '0', '--host', '::1', '--demo'])).toEqual({
      command: 'serve',
      dataDir: '/d',
      port: 0,
      host: '::1',
      demo: true,
    });
    expect(parseCliArgs(['--port=8443'])).toEqual({ command: 'serve', port: 8443, demo: false });
  });

  it('serves --demo large: the word only right after --demo', () => {
    expect(parseCliArgs(['--demo', 'large'])).toEqual({ command: 'serve', demo: true, demoSize: 'large' });
    expect(parseCliArgs(['serve', '--data', '/d', '--demo', 'large', '--port', '0'])).toEqual({ command: 'serve', dataDir: '/d', port: 0, demo: true, demoSize: 'large' });
    for (const argv of [['large'], ['--demo', 'huge'], ['--data', '/d', 'large'], ['--demo', 'large', 'large'], ['--demo', '--', 'large'], ['--demo=large']]) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(UsageError);
    }
  });

  it('parses init', () => {
    expect(parseCliArgs(['init'])).toEqual({ command: 'init' });
    expect(parseCliArgs(['init', '--data', '/d', '--name', 'Ada'])).toEqual({ command: 'init', dataDir: '/d', name: 'Ada' });
  });

  it('parses token create', () => {
    expect(parseCliArgs(['token', 'create'])).toEqual({ command: 'token create' });
    expect(parseCliArgs(['token', 'create', '--data', '/d', '--label', 'console', '--operator', 'o1'])).toEqual({
      command: 'token create',
      dataDir: '/d',
      label: 'console',
      operatorId: 'o1',
    });
  });

  it('parses audit verify and audit rotate-key', () => {
    expect(parseCliArgs(['audit', 'verify'])).toEqual({ command: 'audit verify' });
    expect(parseCliArgs(['audit', 'verify', '--data', '/d', '--tenant', '5B0E3F0E-1111-4222-8333-444455556666'])).toEqual({
      command: 'audit verify',
      dataDir: '/d',
      tenant: '5b0e3f0e-1111-4222-8333-444455556666',
    });
    expect(parseCliArgs(['audit', 'rotate-key', '--data', '/d'])).toEqual({ command: 'audit rotate-key', dataDir: '/d' });
  });

  it('parses tenant create, and refuses a bad slug, region, plan or owner', () => {
    const base = ['tenant', 'create', '--name', ' Acme GmbH ', '--region', 'eu', '--plan', 'team', '--owner', 'ceo@acme.example'];
    expect(parseCliArgs(base)).toEqual({ command: 'tenant create', name: 'Acme GmbH', region: 'eu', plan: 'team', ownerEmail: 'ceo@acme.example' });
    expect(parseCliArgs([...base, '--slug', 'acme', '--data', '/d'])).toMatchObject({ slug: 'acme', dataDir: '/d' });
    for (const bad of [
      [...base, '--slug', 'Acme'],
      [...base, '--slug', 'ac--me'],
      ['tenant', 'create', '--name', 'A', '--region', 'mars', '--plan', 'team', '--owner', 'a@b.example'],
      ['tenant', 'create', '--name', 'A', '--region', 'eu', '--plan', 'gold', '--owner', 'a@b.example'],
      ['tenant', 'create', '--name', 'A', '--region', 'eu', '--plan', 'team', '--owner', 'not-an-email'],
      ['tenant', 'create', '--region', 'eu', '--plan', 'team', '--owner', 'a@b.example'],
      ['tenant', 'delete'],
    ]) {
      expect(() => parseCliArgs(bad)).toThrow(UsageError);
    }
  });

  it('shows help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['init', '-h'])).toEqual({ command: 'help' });
  });

  it('refuses bad flags with a usage error', () => {
    for (const argv of [
      ['--bogus'],
      ['--port'],
      ['--port', 'http'],
      ['--port', '70000'],
      ['--port', '-1'],
      ['--data', ''],
      ['init', '--demo'],
      ['init', '--port', '1'],
      ['start'],
      ['serve', 'extra'],
      ['--demo=yes'],
      ['token'],
      ['token', 'revoke'],
      ['token', 'create', '--name', 'x'],
      ['audit'],
      ['audit', 'check'],
      ['audit', 'verify', '--tenant', 'Acme'],
      ['audit', 'rotate-key', '--tenant', '5b0e3f0e-1111-4222-8333-444455556666'],
      ['init', '--name', 'Ada\u001b[2J'],
      ['token', 'create', '--label', 'laptop\nsecond line'],
      ['user', 'add', '--email', 'a@example.com', '--platform-role', 'auditor', '--name', 'Ada \u202eLovelace'],
    ]) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(UsageError);
    }
  });
});

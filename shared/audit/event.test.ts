import { describe, expect, it } from 'vitest';
import type { Arbitrary } from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { auditLeafBytes, personalCommitment, personalDataMismatch, type AuditEvent, type AuditPersonal } from './event';
import { keyIdOf, toBase64, treeHeadMessage, treeHeadSignatureProblem, type SignedTreeHead } from './tree-head';

const personal = { salt: 'AAECAwQFBgcICQoLDA0ODw', data: { ip: '203.0.113.7', email: 'ana@acme.example' } };
const event: AuditEvent = {
  tenantId: '6f1c1c5e-8f0e-4d7a-9a55-0c1f9d1b2a3c',
  seq: 7,
  at: '2026-11-23T01:02:03.456Z',
  actor: { type: 'user', id: 'b9f6c1de-0000-4000-8000-000000000001' },
  action: 'session.revoked',
  target: 'session:42',
  outcome: 'success',
  requestId: 'req-1',
  details: { reason: 'compromised', count: 2 },
  personalCommitment: personalCommitment(personal),
  personal,
};

describe('audit leaf bytes', () => {
  it('are RFC 8785 JSON with sorted keys, no whitespace, and no personal data', () => {
    const text = new TextDecoder().decode(auditLeafBytes(event));
    expect(text).toBe(
      '{"action":"session.revoked","actor":{"id":"b9f6c1de-0000-4000-8000-000000000001","type":"user"},"at":"2026-11-23T01:02:03.456Z",' +
        '"details":{"count":2,"reason":"compromised"},"outcome":"success","personalCommitment":"' +
        event.personalCommitment +
        '","requestId":"req-1","seq":7,"target":"session:42","tenantId":"6f1c1c5e-8f0e-4d7a-9a55-0c1f9d1b2a3c","v":1}',
    );
    expect(text).not.toContain('203.0.113.7');
    expect(text).not.toContain('ana@acme.example');
  });

  it('do not change when the personal data is erased, and change with any hashed field', () => {
    const erased = { ...event, personal: null };
    expect(auditLeafBytes(erased)).toEqual(auditLeafBytes(event));
    expect(auditLeafBytes({ ...event, details: { reason: 'compromised', count: 3 } })).not.toEqual(auditLeafBytes(event));
    expect(auditLeafBytes({ ...event, seq: 8 })).not.toEqual(auditLeafBytes(event));
  });

  it('commit to the personal data with its salt; a changed value or salt is caught', () => {
    expect(personalCommitment(personal)).toMatch(/^[0-9a-f]{64}$/);
    expect(personalDataMismatch(event)).toBeNull();
    expect(personalDataMismatch({ ...event, personal: { ...personal, data: { ...personal.data, ip: '198.51.100.1' } } })).toBe(
      'event 7: personal data does not match its commitment',
    );
    expect(personalCommitment({ ...personal, salt: 'AQECAwQFBgcICQoLDA0ODw' })).not.toBe(event.personalCommitment);
    expect(personalDataMismatch({ ...event, personal: null })).toBeNull();
  });
});

describe('signed tree heads', () => {
  const secret = sha256(new TextEncoder().encode('test key'));
  const publicKey = ed25519.getPublicKey(secret);
  const keyId = keyIdOf(publicKey);
  const keys = [{ keyId, algorithm: 'Ed25519' as const, publicKey: toBase64(publicKey), createdAt: '2026-11-01T00:00:00.000Z', retiredAt: null }];
  const unsigned = { tenantId: event.tenantId, treeSize: 7, rootHash: 'ab'.repeat(32), timestamp: '2026-11-23T01:02:04.000Z', keyId };
  const head: SignedTreeHead = { ...unsigned, signature: toBase64(ed25519.sign(treeHeadMessage(unsigned), secret)) };

  it('verify against the published key they name', () => {
    expect(treeHeadSignatureProblem(head, keys)).toBeNull();
  });

  it('fail on any changed field, an unknown key or a key that does not match its id', () => {
    expect(treeHeadSignatureProblem({ ...head, treeSize: 8 }, keys)).toBe(`tree head of size 8 has a bad signature (key ${keyId})`);
    expect(treeHeadSignatureProblem({ ...head, rootHash: 'cd'.repeat(32) }, keys)).toMatch(/bad signature/);
    expect(treeHeadSignatureProblem(head, [])).toBe(`tree head of size 7 is signed by unknown key ${keyId}`);
    const other = toBase64(ed25519.getPublicKey(sha256(new TextEncoder().encode('other'))));
    expect(treeHeadSignatureProblem(head, [{ ...keys[0]!, publicKey: other }])).toBe(`key ${keyId} does not match its public key`);
  });
});

describe('the fast leaf serialiser', () => {
  it('produces exactly the general RFC 8785 canonicaliser’s bytes for arbitrary events', async () => {
    const fc = await import('fast-check');
    const { auditLeafBytesReference } = await import('./event');
    const json: Arbitrary<unknown> = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(
        fc.record({
          tenantId: fc.uuid(),
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          at: fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toISOString()),
          actor: fc.record({ type: fc.constantFrom('operator', 'system', 'user', 'anonymous'), id: fc.string({ unit: 'binary', minLength: 1 }) }),
          action: fc.constantFrom('session.revoked', 'auth.login'),
          target: fc.string({ unit: 'binary', minLength: 1 }),
          outcome: fc.constantFrom('success', 'failure', 'denied'),
          requestId: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
          details: fc.dictionary(fc.string({ unit: 'binary' }), json, { maxKeys: 5 }),
          personalCommitment: fc.stringMatching(/^[0-9a-f]{64}$/),
        }),
        (e) => {
          const ev = e as Omit<AuditEvent, 'personal'>;
          expect(auditLeafBytes(ev)).toEqual(auditLeafBytesReference(ev));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('personalCommitment', () => {
  it('keeps its output for fixed inputs (salts with - and _, a non-canonical last character, unicode and escapes, empty data)', () => {
    const fixed: AuditPersonal[] = [
        { salt: 'AAECAwQFBgcICQoLDA0ODw', data: { ip: '203.0.113.7', email: 'ana@acme.example' } },
        { salt: '_-_-AAECAwQFBgcICQoLDA', data: {} },
        { salt: 'zzzzzzzzzzzzzzzzzzzz-x', data: { z: [1, 2.5, null, true], a: { é: 'ünï😀', b: '\u0007"\\' } } },
    ];
    expect(fixed.map((p) => personalCommitment(p))).toEqual([
      'f0e7b7390a4792c3f2e731c4fc470ec95217c565db024e201e0797d122cb9bd1',
      '83e6b36f14707f0108246ce748f3dca404157d1848ca6a2dd4b80ded3f196847',
      '135543ee8caacf378fdeee2865e954f3865b46dfb7fa26592709baa2d3fd242a',
    ]);
  });

  it('equals the former implementation on random salts and data (records of strings, lone surrogates, nested values)', async () => {
    const fc = await import('fast-check');
    const { personalCommitmentReference } = await import('./event');
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        fc.oneof(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), { maxKeys: 4 }), fc.dictionary(fc.string({ unit: 'binary' }), value, { maxKeys: 4 })),
        (salt, data) => {
          expect(personalCommitment({ salt, data })).toBe(personalCommitmentReference({ salt, data }));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/**
 * Threat: someone edits a published trust page (a better number, a failing control
 * dropped, a promise no control backs), forges its evidence with their own key,
 * points it at a log that does not hold the snapshot, or passes another tenant's
 * signed evidence off under this tenant's heading. verifyTrustPage must name the
 * first thing that does not hold, with a stable code, on pages the real service
 * published (HTML and Markdown).
 */
import { describe, expect, it } from 'vitest';
import { toBase64, treeHeadMessage } from '../../shared/audit/tree-head';
import { TrustPageBundleSchema, trustSnapshotMessage, type TrustPageBundle } from '../../shared/trust-page/bundle';
import { diffTrustPages } from '../../shared/trust-page/diff';
import { escapeHtml, unescapeHtml } from '../../shared/trust-page/escape';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import type { TenantId } from '../../shared/tenants/tenant';
import { ephemeralAuditSigner } from '../audit/signing-key';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { postureSha256 } from '../posture/snapshot-repository';
import { publishedPages } from './published-pages';

const bundleOf = (html: string): TrustPageBundle =>
  TrustPageBundleSchema.parse(JSON.parse(unescapeHtml(/<pre id="attest-evidence" hidden>([^<]*)<\/pre>/.exec(html)![1]!)));
const withBundle = (html: string, b: unknown): string =>
  html.replace(/<pre id="attest-evidence" hidden>[^<]*<\/pre>/, () => `<pre id="attest-evidence" hidden>${escapeHtml(JSON.stringify(b))}</pre>`);
const edit = (b: TrustPageBundle, f: (copy: TrustPageBundle) => void): TrustPageBundle => {
  const copy = structuredClone(b);
  f(copy);
  return copy;
};

describe.each(TEST_ENGINES)('tampering with a published trust page, on %s', (kind) => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const kit = membersKit(svc, () => clock);
  const pages = publishedPages(svc, kit);
  let a: { tenant: TenantId; html: string; markdown: string; publicKey: Uint8Array };
  let b: { tenant: TenantId; html: string; markdown: string; publicKey: Uint8Array };
  const setUp = async () => {
    a ??= await pages.publish(await createTestTenant(svc.t.db, 'Tamper A'), 3);
    b ??= await pages.publish(await createTestTenant(svc.t.db, 'Tamper B'), 1);
  };

  it('a fresh page verifies, in HTML and Markdown, with the pinned service key and without (then it says the key was not pinned)', async () => {
    await setUp();
    expect(verifyTrustPage(a.html, { publicKey: a.publicKey })).toMatchObject({ ok: true, keyPinned: true, format: 'html', subject: { name: 'Tamper A' } });
    expect(verifyTrustPage(a.markdown, { publicKey: a.publicKey })).toMatchObject({ ok: true, keyPinned: true, format: 'markdown' });
    expect(verifyTrustPage(a.html)).toMatchObject({ ok: true, keyPinned: false });
    // Saved on Windows: line endings do not matter.
    expect(verifyTrustPage(a.markdown.replace(/\n/g, '\r\n'))).toMatchObject({ ok: true });
  });

  it('a changed number in a sentence names the control and both sentences', async () => {
    await setUp();
    const tampered = a.html.replace(/(data-control="access.least_privilege">)(\d+)%/, (_, p: string) => `${p}5%`);
    expect(tampered).not.toBe(a.html);
    const result = verifyTrustPage(tampered);
    expect(result).toMatchObject({ ok: false, code: 'sentence_changed', controlId: 'access.least_privilege' });
    expect(result.ok === false && result.message).toMatch(/^access\.least_privilege: the page says "5% of active members.*" but its signed snapshot gives "\d+% of active members/);
    const md = a.markdown.replace(/(<!-- control:access\.least_privilege claim -->\n)\d+%/, (_, p: string) => `${p}5%`);
    expect(verifyTrustPage(md)).toMatchObject({ ok: false, code: 'sentence_changed', controlId: 'access.least_privilege' });
  });

  it('a removed sentence is named (the failing MFA statement dropped from the page)', async () => {
    await setUp();
    const tampered = a.html.replace(/<p class="statement" data-control="auth\.mfa">[^<]*<\/p>\n/, '');
    expect(tampered).not.toBe(a.html);
    expect(verifyTrustPage(tampered)).toMatchObject({ ok: false, code: 'sentence_removed', controlId: 'auth.mfa' });
    const md = a.markdown.replace(/<!-- control:auth\.mfa statement -->\n.*\n\n/, '');
    expect(verifyTrustPage(md)).toMatchObject({ ok: false, code: 'sentence_removed', controlId: 'auth.mfa' });
  });

  it('an added sentence is named, marked as a control’s or not marked at all', async () => {
    await setUp();
    const marked = a.html.replace('</section>', '<p class="claim" data-control="transport.tls">The service accepts only TLSv1.3 or later.</p>\n</section>');
    expect(verifyTrustPage(marked)).toMatchObject({ ok: false, code: 'sentence_added', controlId: 'transport.tls' });
    const unmarked = a.html.replace('</section>', '<p>We are certified to every standard there is.</p>\n</section>');
    const result = verifyTrustPage(unmarked);
    expect(result).toMatchObject({ ok: false, code: 'sentence_added' });
    expect(result.ok === false && result.message).toContain('We are certified to every standard there is.');
    const md = a.markdown.replace('\n## ', '\nWe never lose data.\n\n## ');
    expect(verifyTrustPage(md)).toMatchObject({ ok: false, code: 'sentence_added' });
  });

  it('a forged signature: the snapshot improved and re-signed with another key', async () => {
    await setUp();
    const forger = ephemeralAuditSigner();
    const forged = edit(bundleOf(a.html), (c) => {
      const mfa = c.snapshot.posture.controls.find((x) => x.id === 'auth.mfa')!;
      mfa.status = 'pass';
      c.snapshot.sha256 = postureSha256(c.snapshot.posture);
      c.signature = { keyId: forger.keyId, algorithm: 'Ed25519', publicKey: toBase64(forger.publicKey), value: toBase64(forger.sign(trustSnapshotMessage(c))) };
    });
    const pinned = verifyTrustPage(withBundle(a.html, forged), { publicKey: a.publicKey });
    expect(pinned).toMatchObject({ ok: false, code: 'signature_invalid', keyPinned: true });
    expect(pinned.ok === false && pinned.message).toContain(`signed by key ${forger.keyId}, not by the pinned key`);
    // Unpinned, the forger's key is taken at its word, but the log's tree head is not theirs to sign.
    expect(verifyTrustPage(withBundle(a.html, forged))).toMatchObject({ ok: false, code: 'tree_head_invalid' });
    // The forger also re-signs the tree head: the snapshot's hash is still not the one in the log.
    const all = edit(forged, (c) => {
      c.treeHead = { ...c.treeHead, keyId: forger.keyId, signature: toBase64(forger.sign(treeHeadMessage({ ...c.treeHead, keyId: forger.keyId }))) };
    });
    expect(verifyTrustPage(withBundle(a.html, all))).toMatchObject({ ok: false, code: 'snapshot_not_in_log' });
    // A signature from another key with the real public key left in place.
    const swapped = edit(bundleOf(a.html), (c) => {
      c.signature.value = toBase64(forger.sign(trustSnapshotMessage(c)));
    });
    expect(verifyTrustPage(withBundle(a.html, swapped))).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('a snapshot not in the log: an altered leaf, a proof of another tenant’s log, a tampered proof', async () => {
    await setUp();
    const original = bundleOf(a.html);
    const alteredLeaf = edit(original, (c) => {
      c.event.at = new Date(Date.parse(c.event.at) - 1000).toISOString();
    });
    const leaf = verifyTrustPage(withBundle(a.html, alteredLeaf));
    expect(leaf).toMatchObject({ ok: false, code: 'snapshot_not_in_log' });
    expect(leaf.ok === false && leaf.message).toContain(`event ${original.event.seq} is not in the log under the signed tree head`);
    const other = bundleOf(b.html);
    const otherLog = edit(original, (c) => {
      c.treeHead = other.treeHead;
      c.proof = { ...other.proof, seq: c.event.seq };
    });
    expect(verifyTrustPage(withBundle(a.html, otherLog))).toMatchObject({ ok: false, code: 'snapshot_not_in_log' });
    const badPath = edit(original, (c) => {
      c.proof.path = c.proof.path.map((h, i) => (i === 0 ? h.replace(/^./, (x) => (x === '0' ? '1' : '0')) : h));
    });
    expect(original.proof.path.length).toBeGreaterThan(0);
    expect(verifyTrustPage(withBundle(a.html, badPath))).toMatchObject({ ok: false, code: 'snapshot_not_in_log' });
    const otherEvent = edit(original, (c) => {
      c.event.details = { ...c.event.details, sha256: '0'.repeat(64) };
    });
    expect(verifyTrustPage(withBundle(a.html, otherEvent))).toMatchObject({ ok: false, code: 'snapshot_not_in_log' });
  });

  it('a bundle swapped in from another tenant’s page: every signature holds, the heading does not', async () => {
    await setUp();
    const swapped = withBundle(a.html, bundleOf(b.html));
    const result = verifyTrustPage(swapped, { publicKey: a.publicKey });
    expect(result).toMatchObject({ ok: false, code: 'subject_mismatch' });
    expect(result.ok === false && result.message).toContain('tamper-b');
  });

  it('unparseable files and previews fail with their own codes; verify never throws', async () => {
    await setUp();
    for (const text of ['', 'hello', '{"format":1}', '<!DOCTYPE html><pre id="attest-evidence" hidden>{not json</pre>', a.markdown.replace(/<!-- attest-evidence\n[^\n]+/, '<!-- attest-evidence\n%%%')])
      expect(verifyTrustPage(text), text.slice(0, 40)).toMatchObject({ ok: false, code: expect.stringMatching(/^(unparseable|not_signed)$/) });
    expect(verifyTrustPage('hello')).toMatchObject({ code: 'unparseable' });
    expect(verifyTrustPage(a.html.replace(/<pre id="attest-evidence" hidden>[^<]*<\/pre>\n/, ''))).toMatchObject({ code: 'not_signed' });
  });

  it('diff of two pages: sentence by sentence, per control, with the status change', async () => {
    await setUp();
    const before = a.html;
    const after = await pages.republishWithMfaEnforced(a.tenant);
    const diff = diffTrustPages(before, after.html);
    const mfa = diff.changes.find((c) => c.controlId === 'auth.mfa');
    expect(mfa).toMatchObject({ kind: 'changed', statusBefore: 'fail', statusAfter: 'pass' });
    expect(mfa?.after).toEqual([expect.stringMatching(/^Every member signs in with a second factor/)]);
    expect(mfa?.before).toEqual([expect.stringMatching(/^A second factor is not enforced/), expect.stringMatching(/^A remediation plan is kept/)]);
    expect(diffTrustPages(before, before).changes).toEqual([]);
    expect(diffTrustPages(before, after.markdown).changes.map((c) => c.controlId)).toContain('auth.mfa');
    // A snapshot.json bundle diffs like its page.
    expect(diffTrustPages(JSON.stringify(bundleOf(before)), after.html)).toEqual(diff);
  });
});

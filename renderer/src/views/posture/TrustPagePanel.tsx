import { Button, Callout, Classes, FileInput, NonIdealState, Section, SectionCard } from '@blueprintjs/core';
import { DownloadIcon, EyeOpenIcon, GlobeNetworkIcon, ShieldIcon } from '@blueprintjs/icons';
import { useEffect, useState, type HTMLProps } from 'react';
import type { PostureSnapshot } from '../../../../shared/posture/api';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { DateTime } from '../../components/DateTime';
import { adviceFor } from '../../components/errorAdvice';
import { getBridge } from '../../platform/platform';
import { useConnectionStore } from '../../shell/connectionStore';
import { SnapshotDiff } from './SnapshotDiff';
import { MAX_PAGE_FILE_BYTES, publicUrl } from './trustPageModel';
import { TrustPageSaved, TrustPageSaveMenu } from './TrustPageSaveMenu';
import { useTrustPageStore } from './trustPageStore';

const Problem = ({ what, error }: { what: string; error: { code: string; message: string } }) => (
  <Callout compact intent="warning" data-code={error.code}>
    {what} failed: <code>{error.code}</code> {error.message} {adviceFor(error.code)}
  </Callout>
);

const FILE_INPUT = { accept: '.html,.htm,.md,.json', 'aria-label': 'Trust page file to verify', 'data-testid': 'trust-verify-file' } as HTMLProps<HTMLInputElement>;

/** Verify a trust page…: the core checks it (a file dialog in Electron; the file picked here in browser mode). */
const VerifyFile = () => {
  const [mode, setMode] = useState<'electron' | 'browser' | null>(null);
  const { verifying, verify } = useTrustPageStore();
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  useEffect(() => {
    void getBridge()
      .invoke('app.info', {})
      .then((info) => setMode(info.mode));
  }, []);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setTooLarge(file.size > MAX_PAGE_FILE_BYTES ? file.name : null);
    if (file.size > MAX_PAGE_FILE_BYTES) return;
    await verify({ source: 'text', name: file.name.slice(0, 255) || 'page', text: await file.text() });
  };
  const result = verifying.result?.state === 'checked' ? verifying.result : null;
  return (
    <SectionCard>
      <h3 className="bp6-heading">Verify a trust page</h3>
      <p className={Classes.TEXT_MUTED}>A published page (HTML or Markdown) or its snapshot.json: signature, every sentence, and the audit log proof.</p>
      {mode === 'electron' ? (
        <Button icon={<ShieldIcon />} text="Verify a trust page…" loading={verifying.running} onClick={() => void verify({ source: 'dialog' })} data-testid="trust-verify" />
      ) : mode === 'browser' ? (
        <FileInput text="Choose a page to verify…" inputProps={FILE_INPUT} onInputChange={(e) => void pick(e.currentTarget.files?.[0])} />
      ) : null}
      {result && (
        <Callout compact intent={result.ok ? 'success' : 'danger'} data-testid="trust-verify-result" data-ok={result.ok} data-code={result.code ?? ''}>
          <strong>{result.file}</strong>: {result.message}
        </Callout>
      )}
      {verifying.error && <Problem what="Verification" error={verifying.error} />}
      {tooLarge && (
        <Callout compact intent="danger" data-testid="trust-verify-too-large">
          {tooLarge} is larger than 5 MB: it is not an Attest trust page. Choose the page saved from its public address, or its snapshot.json.
        </Callout>
      )}
    </SectionCard>
  );
};

/** Preview, publish (step-up), the published page's address and signed snapshot, verify a file, diff two snapshots. */
export const TrustPagePanel = ({ scope, tenantId, snapshots }: { scope: string; tenantId: TenantId | null; snapshots: readonly PostureSnapshot[] }) => {
  const store = useTrustPageStore();
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const serviceUrl = useConnectionStore((s) => s.status?.serviceUrl ?? '');
  useEffect(() => {
    void useTrustPageStore.getState().open(scope);
  }, [scope]);
  const latest = store.publications?.[0];
  const address = latest ? publicUrl(serviceUrl, latest.path) : null;
  const mayPublish = allowed(me, 'trust_page.publish', tenantId);
  return (
    <div className="attest-trust-panel" data-testid="trust-page-panel">
      <div className="attest-trust-preview">
        <div className="attest-toolbar">
          <Button size="small" icon={<EyeOpenIcon />} text="Preview" loading={store.preview.running} onClick={() => void store.loadPreview()} data-testid="trust-preview" />
          {mayPublish && (
            <Button size="small" intent="primary" icon={<GlobeNetworkIcon />} text="Publish…" loading={store.publishing.running} onClick={() => void store.publish()} data-testid="trust-publish" />
          )}
          <Button size="small" icon={<DownloadIcon />} text="Save signed snapshot" disabled={!latest} loading={store.saving.running} onClick={() => void store.saveBundle()} data-testid="trust-save-bundle" />
          <TrustPageSaveMenu published={latest !== undefined} />
        </div>
        {store.exporting.error && <Problem what="Saving the page" error={store.exporting.error} />}
        <TrustPageSaved />
        {store.preview.error && <Problem what="Preview" error={store.preview.error} />}
        {store.publishing.error && <Problem what="Publishing" error={store.publishing.error} />}
        {store.saving.error && <Problem what="Saving the snapshot" error={store.saving.error} />}
        {store.saving.result?.state === 'saved' && (
          <Callout compact intent="success" data-testid="trust-bundle-saved">
            Signed snapshot saved to <code>{store.saving.result.path}</code>.
          </Callout>
        )}
        {store.preview.result ? (
          // No scripts, no forms, no navigation: the page is the service's, but it is shown as a document, never run.
          <iframe className="attest-trust-frame" title="Trust page preview" sandbox="" srcDoc={store.preview.result.body} data-testid="trust-preview-frame" />
        ) : (
          <NonIdealState icon={<EyeOpenIcon size={32} />} iconMuted title="Preview the trust page" description="Rendered from the current evaluation; not signed and not published until you publish it." />
        )}
      </div>
      <div className="attest-detail">
        <Section compact>
          <SectionCard>
            <h2 className="bp6-heading">Published</h2>
            {latest ? (
              <p data-testid="trust-published">
                Published <DateTime value={latest.publishedAt} />, anchored in the audit log (tree size {latest.treeSize}). Anyone can read it at{' '}
                <code data-testid="trust-public-path">{address ?? latest.path}</code>
              </p>
            ) : (
              <p className={Classes.TEXT_MUTED}>{store.publications === null ? 'Loading…' : 'Not published yet.'}</p>
            )}
          </SectionCard>
          <VerifyFile />
          <SectionCard>
            <h3 className="bp6-heading">Compare two snapshots</h3>
            <SnapshotDiff snapshots={snapshots} />
          </SectionCard>
        </Section>
      </div>
    </div>
  );
};

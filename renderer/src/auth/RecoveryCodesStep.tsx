import { Button, Callout, Checkbox, Classes } from '@blueprintjs/core';
import { ClipboardIcon, DownloadIcon, TickIcon } from '@blueprintjs/icons';
import { useState } from 'react';
import { useAuthStore } from './authStore';

const asText = (codes: readonly string[]) =>
  `Attest recovery codes\nEach code signs you in once if you lose your authenticator. Keep them somewhere safe.\n\n${codes.join('\n')}\n`;

/** Shown once, right after enrolment: the service keeps only their hashes. */
export const RecoveryCodesStep = ({ codes }: { codes: readonly string[] }) => {
  const acknowledge = useAuthStore((s) => s.acknowledgeRecoveryCodes);
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);

  const copy = () => {
    navigator.clipboard.writeText(asText(codes)).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([asText(codes)], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'attest-recovery-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  return (
    <div data-testid="recovery-codes-step">
      <h1 className={`${Classes.HEADING} attest-signin-title`}>Save your recovery codes</h1>
      <Callout compact intent="warning" className="attest-signin-callout">
        These codes are shown only now. Each one signs you in once if you lose your authenticator.
      </Callout>
      <ol className="attest-recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code} className="attest-mono">
            {code}
          </li>
        ))}
      </ol>
      <div className="attest-recovery-actions">
        <Button size="small" icon={copied === 'copied' ? <TickIcon /> : <ClipboardIcon />} text={copied === 'copied' ? 'Copied' : 'Copy'} onClick={copy} data-testid="recovery-codes-copy" />
        <Button size="small" icon={<DownloadIcon />} text="Download .txt" onClick={download} data-testid="recovery-codes-download" />
        {copied === 'failed' && <span className={Classes.TEXT_MUTED}>Copying is not allowed here; download or write them down.</span>}
      </div>
      <Checkbox checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} label="I have saved these codes somewhere safe" data-testid="recovery-codes-saved" />
      <Button intent="primary" fill text="Continue to Attest" disabled={!saved} onClick={acknowledge} data-testid="recovery-codes-continue" />
    </div>
  );
};

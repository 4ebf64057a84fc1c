import { Button, Classes, FormGroup, InputGroup, Tab, Tabs } from '@blueprintjs/core';
import { DocumentOpenIcon, GlobeNetworkIcon, LinkIcon } from '@blueprintjs/icons';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { MAX_CONNECTION_BYTES } from '../../../shared/connection/connection-file';
import { getPlatform } from '../platform/platform';
import { useServiceStore } from './serviceStore';

const LinkForm = () => {
  const busy = useServiceStore((s) => s.busy);
  const check = useServiceStore((s) => s.check);
  const [text, setText] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) void check({ text: text.trim() });
  };
  return (
    <form onSubmit={onSubmit} aria-label="Paste a connection link">
      <FormGroup label="Connection link" labelFor="connect-link" helperText="Starts with attest://connect? — paste all of it.">
        <InputGroup
          id="connect-link"
          spellCheck={false}
          autoComplete="off"
          placeholder="attest://connect?v=1&url=…&pin=…"
          className="attest-mono"
          value={text}
          onValueChange={setText}
          disabled={busy}
          data-testid="connect-link"
        />
      </FormGroup>
      <Button type="submit" intent="primary" text="Check connection" loading={busy} disabled={!text.trim()} data-testid="connect-check-link" />
    </form>
  );
};

const FileForm = () => {
  const busy = useServiceStore((s) => s.busy);
  const check = useServiceStore((s) => s.check);
  const openFile = useServiceStore((s) => s.openFile);
  const fail = useServiceStore((s) => s.fail);
  const input = useRef<HTMLInputElement>(null);
  // Electron: the core shows its own dialog and reads the file. Browser mode: the page reads it and sends the text.
  const electron = getPlatform().mode === 'electron';
  const onPicked = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_CONNECTION_BYTES) {
      fail({ code: 'connection_too_large', message: `“${file.name}” is larger than a connection file can be. Choose the file your administrator gave you.` });
      return;
    }
    await check({ text: await file.text() });
  };
  return (
    <div>
      <p className={Classes.TEXT_MUTED}>A file ending in .attest-connection.json, from your administrator.</p>
      {!electron && (
        <input ref={input} type="file" accept=".json,application/json" hidden onChange={(e) => void onPicked(e)} data-testid="connect-file-input" aria-label="Connection file" />
      )}
      <Button
        icon={<DocumentOpenIcon />}
        intent="primary"
        text="Open connection file…"
        loading={busy}
        onClick={() => (electron ? void openFile() : input.current?.click())}
        data-testid="connect-open-file"
      />
    </div>
  );
};

const ManualForm = () => {
  const busy = useServiceStore((s) => s.busy);
  const check = useServiceStore((s) => s.check);
  const [serviceUrl, setServiceUrl] = useState('https://');
  const [fingerprint, setFingerprint] = useState('');
  const ready = serviceUrl.trim().length > 'https://'.length && fingerprint.trim().length > 0;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void check({ serviceUrl: serviceUrl.trim(), fingerprint: fingerprint.trim() });
  };
  return (
    <form onSubmit={onSubmit} aria-label="Type the address and fingerprint">
      <FormGroup label="Service address" labelFor="connect-url">
        <InputGroup id="connect-url" spellCheck={false} autoComplete="url" placeholder="https://attest.example.com:8443" value={serviceUrl} onValueChange={setServiceUrl} disabled={busy} data-testid="connect-url" />
      </FormGroup>
      <FormGroup label="Key fingerprint (SPKI SHA-256)" labelFor="connect-fingerprint" helperText="64 hexadecimal characters; spaces and colons are fine.">
        <InputGroup id="connect-fingerprint" spellCheck={false} autoComplete="off" className="attest-mono" value={fingerprint} onValueChange={setFingerprint} disabled={busy} data-testid="connect-fingerprint" />
      </FormGroup>
      <Button type="submit" intent="primary" text="Check connection" loading={busy} disabled={!ready} data-testid="connect-check-manual" />
    </form>
  );
};

/** The three ways to name a service: a link, a file, or the address and fingerprint typed. */
export const ConnectChoice = () => (
  <Tabs id="connect-method" defaultSelectedTabId="link" className="attest-connect-tabs" renderActiveTabPanelOnly>
    <Tab id="link" icon={<LinkIcon />} title="Paste a link" panel={<LinkForm />} data-testid="connect-tab-link" />
    <Tab id="file" icon={<DocumentOpenIcon />} title="Open a file" panel={<FileForm />} data-testid="connect-tab-file" />
    <Tab id="manual" icon={<GlobeNetworkIcon />} title="Type address" panel={<ManualForm />} data-testid="connect-tab-manual" />
  </Tabs>
);

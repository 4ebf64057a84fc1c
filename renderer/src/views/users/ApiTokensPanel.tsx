import { Button, Callout, Checkbox, Dialog, DialogBody, FormGroup, HTMLTable, InputGroup, NumericInput, Tag } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import type { CsvColumn } from '../../components/csvExport';
import { KeyIcon } from '@blueprintjs/icons';
import { useEffect, useState, type FormEvent } from 'react';
import { CreateApiTokenRequestSchema, type ApiTokenCreated, type ApiTokenSummary } from '../../../../shared/api-tokens/schemas';
import { API_TOKEN_SCOPES } from '../../../../shared/identity/api-token-scopes';
import type { Action } from '../../../../shared/identity/permissions';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { SecretShownOnce } from '../../components/SecretShownOnce';
import { toIpcError } from '../../platform/ipcError';
import { daysFrom, MAX_TOKEN_DAYS as MAX_DAYS, rotationExpiry, sortTokens, STALE_TOKEN_DAYS as STALE_DAYS, tokenActions } from './apiTokensModel';
import { useApiTokensStore } from './apiTokensStore';
import { DateTime } from '../../components/DateTime';

const inDays = (days: number) => daysFrom(new Date(), days);

interface Props {
  tenantId: TenantId;
  /** The signed-in person: only a token's own member may rotate it. */
  myUserId: string;
  canManage: boolean;
  canRevoke: boolean;
  /** For the CSV export's file name. */
  tenantName?: string;
}

const ErrorCallout = ({ error }: { error: IpcErrorShape }) => (
  <Callout compact intent="danger" className="attest-inline-callout" data-testid="api-token-error" data-code={error.code}>
    {error.code === 'step_up_required' ? 'This needs a current authenticator code; it was not confirmed.' : `${error.message} ${adviceFor(error.code)}`}
  </Callout>
);

/** Shows the secret once: closing the dialog forgets it. */
const Secret = ({ created, onClose }: { created: ApiTokenCreated; onClose(): void }) => (
  <SecretShownOnce
    summary={<>“{created.token.name}” expires <DateTime value={created.token.expiresAt} style="date" />. Copy the secret now: it is shown only once.</>}
    label="Secret"
    value={created.secret}
    valueId="api-token-secret"
    testIdPrefix="api-token"
    onClose={onClose}
  />
);

const CreateForm = ({ tenantId, onCreated, onClose }: { tenantId: TenantId; onCreated(c: ApiTokenCreated): void; onClose(): void }) => {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Action[]>([]);
  const [days, setDays] = useState(STALE_DAYS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const request = { name, scopes, expiresAt: inDays(days) };
  const valid = CreateApiTokenRequestSchema.safeParse(request).success && days >= 1 && days <= MAX_DAYS;
  const toggle = (s: Action) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    useApiTokensStore
      .getState()
      .create(tenantId, { name, scopes, expiresAt: inDays(days) })
      .then(onCreated, (e: unknown) => {
        setError(toIpcError(e));
        setBusy(false);
      });
  };
  return (
    <form onSubmit={onSubmit} data-testid="api-token-form">
      <DialogBody>
        <p>The token acts as you in this tenant, limited to its scopes and to your role. Tokens older than {STALE_DAYS} days are flagged for rotation.</p>
        {error && <ErrorCallout error={error} />}
        <FormGroup label="Name" labelFor="api-token-name">
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
          <InputGroup id="api-token-name" autoFocus value={name} onValueChange={setName} data-testid="api-token-name" />
        </FormGroup>
        <FormGroup label="Scopes">
          {API_TOKEN_SCOPES.map((s) => (
            <Checkbox key={s} inline label={s} checked={scopes.includes(s)} onChange={() => toggle(s)} data-testid={`api-token-scope-${s}`} />
          ))}
        </FormGroup>
        <FormGroup label={`Expires in (days, at most ${MAX_DAYS})`} labelFor="api-token-days">
          <NumericInput id="api-token-days" min={1} max={MAX_DAYS} value={days} onValueChange={(n) => setDays(Number.isFinite(n) ? n : 0)} data-testid="api-token-days" />
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Create token', disabled: !valid, testId: 'api-token-submit' }} />
    </form>
  );
};

const CSV_COLUMNS: readonly CsvColumn<ApiTokenSummary>[] = [
  { header: 'Name', value: (t) => t.name },
  { header: 'Member', value: (t) => t.email },
  { header: 'Scopes', value: (t) => t.scopes.join(' ') },
  { header: 'Age (days)', value: (t) => t.ageDays },
  { header: 'Created', value: (t) => t.createdAt },
  { header: 'Last used', value: (t) => t.lastUsedAt },
  { header: 'Expires', value: (t) => t.expiresAt },
  { header: 'Status', value: (t) => (t.status === 'active' && t.stale ? 'stale' : t.status) },
  { header: 'Token ID', value: (t) => t.id },
];

const statusTag = (t: ApiTokenSummary) =>
  t.status === 'active' ? (
    t.stale ? (
      <Tag intent="warning" minimal data-testid="api-token-stale">
        Stale: rotate
      </Tag>
    ) : (
      <Tag intent="success" minimal>
        Active
      </Tag>
    )
  ) : (
    <Tag minimal>{t.status === 'revoked' ? 'Revoked' : 'Expired'}</Tag>
  );

/** A tenant's API tokens: age, last use, expiry, scopes, stale flag; create, rotate (own tokens) and revoke. */
export const ApiTokensPanel = ({ tenantId, myUserId, canManage, canRevoke, tenantName }: Props) => {
  const list = useApiTokensStore((s) => s.list);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ApiTokenCreated | null>(null);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  useEffect(() => void useApiTokensStore.getState().load(tenantId), [tenantId]);
  const tokens = sortTokens('value' in list && list.tenantId === tenantId ? (list.value ?? []) : []);
  const act = (p: Promise<unknown>) => {
    setError(null);
    p.catch((e: unknown) => setError(toIpcError(e)));
  };
  const rotate = (t: ApiTokenSummary) => act(useApiTokensStore.getState().rotate(tenantId, t, rotationExpiry(t, new Date())).then(setShown));
  const close = () => {
    setCreating(false);
    setShown(null);
  };
  return (
    <section className="attest-api-tokens" data-testid="api-tokens-panel">
      <div className="attest-toolbar">
        <h3>
          <KeyIcon /> API tokens
        </h3>
        {canManage && <Button icon={<KeyIcon />} text="New token" onClick={() => setCreating(true)} data-testid="api-token-new" />}
        {tokens.length > 0 && (
          <ExportCsvButton table="api-tokens" {...(tenantName ? { scope: tenantName } : {})} columns={CSV_COLUMNS} rows={() => tokens} testId="api-tokens-export" />
        )}
      </div>
      {list.status === 'error' && list.tenantId === tenantId && <ErrorCallout error={list.error} />}
      {error && <ErrorCallout error={error} />}
      {tokens.length === 0 ? (
        <p data-testid="api-tokens-empty">No API tokens in this tenant.</p>
      ) : (
        <HTMLTable compact striped data-testid="api-tokens-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Member</th>
              <th>Scopes</th>
              <th>Age</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => ({ t, can: tokenActions(t, myUserId, canManage, canRevoke) })).map(({ t, can }) => (
              <tr key={t.id} data-testid={`api-token-${t.id}`}>
                <td>{t.name}</td>
                <td>{t.email}</td>
                <td>{t.scopes.join(', ')}</td>
                <td>{t.ageDays} d</td>
                <td>{t.lastUsedAt ? <DateTime value={t.lastUsedAt} /> : 'Never'}</td>
                <td><DateTime value={t.expiresAt} style="date" /></td>
                <td>{statusTag(t)}</td>
                <td>
                  {can.rotate && (
                    <Button small variant="minimal" text="Rotate" onClick={() => rotate(t)} data-testid="api-token-rotate" />
                  )}
                  {can.revoke && (
                    <Button small variant="minimal" intent="danger" text="Revoke" onClick={() => act(useApiTokensStore.getState().revoke(tenantId, t))} data-testid="api-token-revoke" />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      )}
      {(creating || shown) && (
        <Dialog isOpen onClose={close} title={shown ? 'API token secret' : 'New API token'} icon={<KeyIcon />}>
          {shown ? <Secret created={shown} onClose={close} /> : <CreateForm tenantId={tenantId} onCreated={setShown} onClose={close} />}
        </Dialog>
      )}
    </section>
  );
};

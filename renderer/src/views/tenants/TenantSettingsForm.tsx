import { Button, Callout, Classes, ControlGroup, FormGroup, HTMLSelect, InputGroup } from '@blueprintjs/core';
import { useState, type FormEvent } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantSettings } from '../../../../shared/tenants/api';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { toIpcError } from '../../platform/ipcError';
import { boundsText, draftOf, draftProblems, DURATION_UNITS, settingsChanges, type Duration, type DurationUnit, type SettingsDraft } from './tenantPageModel';
import { useTenantPageStore } from './tenantPageStore';

const SETTINGS_ADVICE: Record<string, string> = {
  step_up_required: 'Saving needs a current authenticator code; it was not confirmed, and nothing changed.',
  session_limit_out_of_bounds: 'Keep each limit within the bounds shown under it.',
  validation_failed: 'Check the fields marked above.',
};

const DurationInput = ({ id, value, onChange, disabled }: { id: string; value: Duration; onChange(d: Duration): void; disabled: boolean }) => (
  <ControlGroup>
    <InputGroup id={id} inputMode="numeric" className="attest-duration-value" value={value.value} onValueChange={(v) => onChange({ ...value, value: v })} disabled={disabled} data-testid={id} />
    <HTMLSelect
      aria-label="Unit"
      value={value.unit}
      onChange={(e) => onChange({ ...value, unit: e.currentTarget.value as DurationUnit })}
      options={DURATION_UNITS.map((u) => ({ value: u, label: u }))}
      disabled={disabled}
      data-testid={`${id}-unit`}
    />
  </ControlGroup>
);

/**
 * Name and session limits. A change applies to existing sessions at their next
 * request; it needs step-up and is audited with before and after.
 */
export const TenantSettingsForm = ({ tenantId, settings, canWrite }: { tenantId: TenantId; settings: TenantSettings; canWrite: boolean }) => {
  // Keyed by the settings it started from (see the page), so a reload after saving resets it.
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const problems = draftProblems(draft, settings.bounds);
  const changes = settingsChanges(settings, draft);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!changes) return;
    setBusy(true);
    setError(null);
    useTenantPageStore
      .getState()
      .saveSettings(tenantId, settings.name, changes)
      .catch((e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
        setBusy(false);
      });
  };
  const disabled = !canWrite || busy;
  return (
    <form onSubmit={onSubmit} className="attest-tenant-settings" data-testid="tenant-settings" aria-label="Tenant settings">
      {error && (
        <Callout compact intent="danger" className="attest-inline-callout" data-testid="tenant-settings-error" data-code={error.code}>
          {error.message} {SETTINGS_ADVICE[error.code] ?? adviceFor(error.code)}
        </Callout>
      )}
      <FormGroup label="Name" labelFor="tenant-name" intent={problems.name ? 'warning' : 'none'} helperText={problems.name}>
        <InputGroup id="tenant-name" value={draft.name} onValueChange={(name) => setDraft((d) => ({ ...d, name }))} disabled={disabled} data-testid="tenant-name" />
      </FormGroup>
      <div className="attest-form-row">
        <FormGroup
          label="Idle session limit"
          labelFor="tenant-idle"
          intent={problems.idle ? 'warning' : 'none'}
          helperText={<span data-testid="tenant-idle-bounds">{problems.idle ?? boundsText(settings.bounds.idle)}</span>}
        >
          <DurationInput id="tenant-idle" value={draft.idle} onChange={(idle) => setDraft((d) => ({ ...d, idle }))} disabled={disabled} />
        </FormGroup>
        <FormGroup
          label="Absolute session limit"
          labelFor="tenant-absolute"
          intent={problems.absolute ? 'warning' : 'none'}
          helperText={<span data-testid="tenant-absolute-bounds">{problems.absolute ?? boundsText(settings.bounds.absolute)}</span>}
        >
          <DurationInput id="tenant-absolute" value={draft.absolute} onChange={(absolute) => setDraft((d) => ({ ...d, absolute }))} disabled={disabled} />
        </FormGroup>
      </div>
      {canWrite && (
        <div className="attest-form-actions">
          <span className={Classes.TEXT_MUTED}>Applies to existing sessions at their next request.</span>
          <Button size="small" text="Reset" variant="minimal" disabled={busy || !changes} onClick={() => setDraft(draftOf(settings))} />
          <Button size="small" type="submit" intent="primary" text="Save" loading={busy} disabled={!changes} data-testid="tenant-settings-save" />
        </div>
      )}
    </form>
  );
};

import { Callout, Classes, Dialog, DialogBody, FormGroup, HTMLSelect, InputGroup } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { OfficeIcon } from '@blueprintjs/icons';
import { useState, type FormEvent } from 'react';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantCreated } from '../../../../shared/tenants/api';
import { PLANS, PlanSchema, REGIONS, RegionSchema } from '../../../../shared/tenants/tenant';
import { adviceFor } from '../../components/errorAdvice';
import { SecretShownOnce } from '../../components/SecretShownOnce';
import { toIpcError } from '../../platform/ipcError';
import { EMPTY_NEW_TENANT, newTenantRequest, withName, withSlug, type NewTenantDraft } from './newTenantModel';
import { planLabel } from './tenantColumns';
import { useTenantsStore } from './tenantsStore';
import { DateTime } from '../../components/DateTime';


const CREATE_ADVICE: Record<string, string> = {
  slug_taken: 'Another tenant has this slug. Choose another one (it names the tenant’s public trust page).',
  step_up_required: 'Creating a tenant needs a current authenticator code; it was not confirmed.',
};

/** The owner's invitation, shown once: closing the dialog forgets it. */
const Created = ({ created, onClose }: { created: TenantCreated; onClose(): void }) => (
  <SecretShownOnce
    summary={
      <>
        Created {created.tenant.name} ({created.tenant.region.toUpperCase()}, {planLabel(created.tenant.plan)}). Hand {created.invite.member.email} this invitation:
        they accept it in the console (“Accept an invitation” on the sign-in screen), set a password and enrol MFA. It works once, expires{' '}
        <DateTime value={created.invite.expiresAt} />, and is shown only now.
      </>
    }
    label="Owner’s invitation token"
    value={created.invite.token}
    valueId="new-tenant-token"
    testIdPrefix="new-tenant"
    className="attest-invite-token"
    onClose={onClose}
  />
);

const Form = ({ onClose }: { onClose(): void }) => {
  const [draft, setDraft] = useState<NewTenantDraft>(EMPTY_NEW_TENANT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorShape | null>(null);
  const [created, setCreated] = useState<TenantCreated | null>(null);
  if (created) return <Created created={created} onClose={onClose} />;
  const { request, problems } = newTenantRequest(draft);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!request) return;
    setBusy(true);
    setError(null);
    useTenantsStore
      .getState()
      .create(request)
      .then(setCreated, (e: unknown) => {
        const { code, message } = toIpcError(e);
        setError({ code, message });
        setBusy(false);
      });
  };
  const field = (name: keyof typeof problems) => ({ intent: problems[name] ? ('warning' as const) : ('none' as const), helperText: problems[name] });
  return (
    <form onSubmit={onSubmit} data-testid="new-tenant-dialog">
      <DialogBody>
        <p className={Classes.TEXT_MUTED}>The tenant starts with the default security policy and one invited owner, who then adjusts its settings.</p>
        {error && (
          <Callout compact intent="danger" className="attest-inline-callout" data-testid="new-tenant-error" data-code={error.code}>
            {error.message} {CREATE_ADVICE[error.code] ?? adviceFor(error.code)}
          </Callout>
        )}
        <FormGroup label="Name" labelFor="new-tenant-name" {...field('name')}>
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
          <InputGroup id="new-tenant-name" autoFocus value={draft.name} onValueChange={(v) => setDraft((d) => withName(d, v))} disabled={busy} data-testid="new-tenant-name" />
        </FormGroup>
        <FormGroup label="Slug" labelFor="new-tenant-slug" labelInfo="(names its trust page; unique)" {...field('slug')}>
          <InputGroup
            id="new-tenant-slug"
            className="attest-mono"
            spellCheck={false}
            value={draft.slug}
            onValueChange={(v) => setDraft((d) => withSlug(d, v))}
            disabled={busy}
            data-testid="new-tenant-slug"
          />
        </FormGroup>
        <div className="attest-form-row">
          <FormGroup label="Region" labelFor="new-tenant-region" helperText="Fixed: where its data resides.">
            <HTMLSelect
              id="new-tenant-region"
              value={draft.region}
              onChange={(e) => {
                const region = RegionSchema.safeParse(e.currentTarget.value);
                if (region.success) setDraft((d) => ({ ...d, region: region.data }));
              }}
              options={REGIONS.map((r) => ({ value: r, label: r.toUpperCase() }))}
              disabled={busy}
              data-testid="new-tenant-region"
            />
          </FormGroup>
          <FormGroup label="Plan" labelFor="new-tenant-plan">
            <HTMLSelect
              id="new-tenant-plan"
              value={draft.plan}
              onChange={(e) => {
                const plan = PlanSchema.safeParse(e.currentTarget.value);
                if (plan.success) setDraft((d) => ({ ...d, plan: plan.data }));
              }}
              options={PLANS.map((p) => ({ value: p, label: planLabel(p) }))}
              disabled={busy}
              data-testid="new-tenant-plan"
            />
          </FormGroup>
        </div>
        <FormGroup label="First owner’s email" labelFor="new-tenant-owner" {...field('ownerEmail')}>
          <InputGroup
            id="new-tenant-owner"
            type="email"
            value={draft.ownerEmail}
            onValueChange={(v) => setDraft((d) => ({ ...d, ownerEmail: v }))}
            disabled={busy}
            data-testid="new-tenant-owner"
          />
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Create tenant', disabled: !request, testId: 'new-tenant-submit' }} />
    </form>
  );
};

/** Platform staff with tenants.create: a tenant and its first owner's invitation (step-up). */
export const NewTenantDialog = ({ isOpen, onClose }: { isOpen: boolean; onClose(): void }) => (
  <Dialog isOpen={isOpen} onClose={onClose} title="New tenant" icon={<OfficeIcon />} className="attest-new-tenant">
    {isOpen && <Form onClose={onClose} />}
  </Dialog>
);

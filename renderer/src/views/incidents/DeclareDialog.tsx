import { Callout, Checkbox, Dialog, DialogBody, FormGroup, HTMLSelect, InputGroup, Switch, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { useEffect, useState, type FormEvent } from 'react';
import { SEVERITIES, type Severity } from '../../../../shared/incidents/incident';
import { getBridge } from '../../platform/platform';
import { toIpcError } from '../../platform/ipcError';
import { declaration, emptyDeclaration, type DeclareDraft, type DeclareField } from './declareModel';
import { DateTimeField } from '../../components/DateTimeField';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';

interface Props {
  isOpen: boolean;
  onClose(): void;
  /** The declaration was journaled: the new incident's id, to select it. */
  onDeclared(incidentId: string): void;
}

const SEVERITY_HELP: Record<Severity, string> = {
  P0: 'P0: customers told within 24 h of triage; review within 14 days of resolution',
  P1: 'P1: customers told within 72 h of triage; review within 14 days of resolution',
  P2: 'P2: no customer-notice deadline',
  P3: 'P3: no customer-notice deadline',
};

const Form = ({ onClose, onDeclared }: Omit<Props, 'isOpen'>) => {
  const zone = useShownTimeZone();
  const [draft, setDraft] = useState<DeclareDraft>(() => emptyDeclaration(new Date(), zone));
  const [problem, setProblem] = useState<{ field: DeclareField | null; message: string } | null>(null);
  const [tenants, setTenants] = useState<{ id: string; name: string }[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    getBridge()
      .invoke('tenants.list', {})
      .then(
        (list) => live && setTenants(list.map((t) => ({ id: t.id, name: t.name })).sort((a, b) => a.name.localeCompare(b.name))),
        () => live && setTenants([]),
      );
    return () => {
      live = false;
    };
  }, []);

  const set = <K extends keyof DeclareDraft>(field: K, value: DeclareDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setProblem(null);
  };
  const toggleTenant = (id: string, on: boolean) =>
    set('affectedTenantIds', on ? [...draft.affectedTenantIds, id] : draft.affectedTenantIds.filter((t) => t !== id));
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const checked = declaration(draft, new Date(), zone);
    if (!checked.ok) return setProblem({ field: checked.field, message: checked.message });
    setBusy(true);
    getBridge()
      .invoke('incidents.declare', checked.input)
      .then(
        (ack) => {
          onDeclared(ack.incidentId);
          onClose();
        },
        (e: unknown) => {
          setProblem({ field: null, message: toIpcError(e).message });
          setBusy(false);
        },
      );
  };
  const intent = (field: DeclareField) => (problem?.field === field ? 'danger' : 'none');
  const help = (field: DeclareField, otherwise: string) => (problem?.field === field ? problem.message : otherwise);

  return (
    <form onSubmit={submit} noValidate data-testid="declare-dialog">
      <DialogBody>
        {problem?.field === null && (
          <Callout compact intent="danger" className="attest-inline-callout" data-testid="declare-error">
            {problem.message}
          </Callout>
        )}
        <FormGroup label="Title" labelFor="declare-title" intent={intent('title')} helperText={help('title', 'One line: what happened.')}>
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
          <InputGroup id="declare-title" autoFocus value={draft.title} maxLength={200} intent={intent('title')} onChange={(e) => set('title', e.target.value)} />
        </FormGroup>
        <div className="attest-declare-row">
          <FormGroup label="Severity" labelFor="declare-severity" helperText={SEVERITY_HELP[draft.severity]}>
            <HTMLSelect id="declare-severity" value={draft.severity} onChange={(e) => set('severity', e.target.value as Severity)} options={[...SEVERITIES]} />
          </FormGroup>
          <FormGroup label="Detected at" labelFor="declare-detected" intent={intent('detectedAt')} helperText={help('detectedAt', 'Classification is due 30 min after.')}>
            <DateTimeField id="declare-detected" value={draft.detectedAt} intent={intent('detectedAt')} onChange={(text) => set('detectedAt', text)} />
          </FormGroup>
        </div>
        <FormGroup label="Affected tenants" helperText={tenants?.length === 0 ? 'No tenants in the offline copy: add them later with Edit details.' : 'Each gets its own notices.'}>
          <div className="attest-declare-tenants" data-testid="declare-tenants">
            {(tenants ?? []).map((t) => (
              <Checkbox key={t.id} label={t.name} checked={draft.affectedTenantIds.includes(t.id)} onChange={(e) => toggleTenant(t.id, e.currentTarget.checked)} />
            ))}
          </div>
        </FormGroup>
        <Switch label="Involves personal data (the regulator must be told within 72 h of awareness)" checked={draft.personalData} onChange={(e) => set('personalData', e.currentTarget.checked)} />
        {draft.personalData && (
          <FormGroup label="Aware at" labelFor="declare-aware" intent={intent('awareAt')} helperText={help('awareAt', 'Left empty: now.')}>
            <DateTimeField id="declare-aware" value={draft.awareAt} intent={intent('awareAt')} onChange={(text) => set('awareAt', text)} />
          </FormGroup>
        )}
        <FormGroup label="Description" labelFor="declare-description" intent={intent('description')} helperText={help('description', 'Optional; it goes into the notices.')}>
          <TextArea id="declare-description" fill rows={3} value={draft.description} onChange={(e) => set('description', e.target.value)} />
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Declare', intent: 'danger', testId: 'declare-confirm' }}>
        <span className="attest-muted">Saved on this computer first; the service opens it at the next sync.</span>
      </ConfirmFooter>
    </form>
  );
};

/** Declares an incident: works offline, like every edit (journaled, pending until sync). */
export const DeclareDialog = ({ isOpen, onClose, onDeclared }: Props) => (
  <Dialog isOpen={isOpen} onClose={onClose} title="Declare an incident" className="attest-declare-dialog">
    {isOpen && <Form onClose={onClose} onDeclared={onDeclared} />}
  </Dialog>
);

import { Callout, Checkbox, Dialog, DialogBody, FormGroup, InputGroup, Switch, TextArea } from '@blueprintjs/core';
import { ConfirmFooter } from '../../components/ConfirmFooter';
import { EditIcon } from '@blueprintjs/icons';
import { useEffect, useState, type FormEvent } from 'react';
import type { Incident, IncidentDetails } from '../../../../shared/incidents/incident';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { adviceFor } from '../../components/errorAdvice';
import { getBridge } from '../../platform/platform';
import { toIpcError } from '../../platform/ipcError';
import { detailsChanges, draftOf, type DetailsDraft, type DetailsField } from './detailsModel';
import { DateTimeField } from '../../components/DateTimeField';
import { formatDateTime } from '../../platform/dateTime';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';
import type { TenantName } from './incidentsModel';

interface Props {
  incident: Incident;
  tenantName: TenantName;
  /** Journals the edit (it is pending until sync applies it); rejects with the core's error. */
  onSave(changes: IncidentDetails): Promise<void>;
  onClose(): void;
}

type TenantChoices = { status: 'loading' } | { status: 'ready'; tenants: { id: string; name: string }[] } | { status: 'offline' };

const Form = ({ incident, tenantName, onSave, onClose }: Props) => {
  const zone = useShownTimeZone();
  const [draft, setDraft] = useState<DetailsDraft>(() => draftOf(incident, zone));
  const [problem, setProblem] = useState<{ field: DetailsField | null; message: string; code?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [choices, setChoices] = useState<TenantChoices>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    getBridge()
      .invoke('tenants.list', {})
      .then(
        (tenants) => live && setChoices({ status: 'ready', tenants: tenants.map((t) => ({ id: t.id, name: t.name })) }),
        // Offline the console knows only the tenants already affected: they can be kept or removed, not added.
        () => live && setChoices({ status: 'offline' }),
      );
    return () => {
      live = false;
    };
  }, []);

  const set = <K extends keyof DetailsDraft>(field: K, value: DetailsDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    // The problem shown was about what was typed before; the next save checks again.
    setProblem(null);
  };
  const checked = detailsChanges(incident, draft, new Date(), zone);
  const unchanged = checked.ok && Object.keys(checked.changes).length === 0;

  const onSubmit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!checked.ok) return setProblem({ field: checked.field, message: checked.message });
    if (unchanged) return onClose();
    setBusy(true);
    setProblem(null);
    onSave(checked.changes).then(onClose, (e: unknown) => {
      const err: IpcErrorShape = toIpcError(e);
      setProblem({ field: null, message: err.message, code: err.code });
      setBusy(false);
    });
  };
  const invalid = (field: DetailsField) => (problem?.field === field ? 'danger' : 'none');
  const tenants =
    choices.status === 'ready'
      ? [...choices.tenants].sort((a, b) => a.name.localeCompare(b.name))
      : incident.affectedTenantIds.map((id) => ({ id, name: tenantName(id) }));

  return (
    <form onSubmit={onSubmit} noValidate data-testid="edit-details-dialog">
      <DialogBody>
        {problem && (
          <Callout compact intent="danger" className="attest-inline-callout" data-testid="edit-details-error" data-code={problem.code ?? 'invalid_input'}>
            {problem.message} {problem.code && adviceFor(problem.code)}
          </Callout>
        )}
        <FormGroup label="Title" labelFor="details-title" intent={invalid('title')}>
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the first field (WAI-ARIA dialog pattern) */}
          <InputGroup id="details-title" autoFocus value={draft.title} intent={invalid('title')} onChange={(e) => set('title', e.target.value)} maxLength={200} />
        </FormGroup>
        <FormGroup label="Description" labelFor="details-description" intent={invalid('description')}>
          <TextArea
            id="details-description"
            fill
            rows={4}
            value={draft.description}
            onChange={(e) => set('description', e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit();
            }}
          />
        </FormGroup>
        <Switch
          label="Involves personal data (starts the regulator notice clock from awareness)"
          checked={draft.personalData}
          onChange={(e) => set('personalData', e.currentTarget.checked)}
        />
        <div className="attest-details-times">
          <FormGroup
            label="Aware at"
            labelFor="details-aware"
            helperText={problem?.field === 'awareAt' ? problem.message : draft.personalData && draft.awareAt === '' ? 'Left empty: the time you save this.' : 'The regulator clock (72 h) starts here.'}
            intent={invalid('awareAt')}
          >
            <DateTimeField id="details-aware" value={draft.awareAt} intent={invalid('awareAt')} onChange={(text) => set('awareAt', text)} />
          </FormGroup>
          <FormGroup
            label="Verified at"
            labelFor="details-verified"
            helperText={problem?.field === 'verifiedAt' ? problem.message : 'The breach notice clock (24 h) starts here.'}
            intent={invalid('verifiedAt')}
          >
            <DateTimeField id="details-verified" value={draft.verifiedAt} intent={invalid('verifiedAt')} onChange={(text) => set('verifiedAt', text)} />
          </FormGroup>
        </div>
        <p className="bp6-text-muted">Detected {formatDateTime(incident.detectedAt, { zone })}: awareness and verification cannot be earlier.</p>
        <FormGroup label="Affected tenants" helperText={choices.status === 'offline' ? 'Offline: tenants can be removed here and added once the service is reachable.' : undefined}>
          <div className="attest-details-tenants" role="group" aria-label="Affected tenants" data-testid="details-tenants">
            {tenants.map((t) => (
              <Checkbox
                key={t.id}
                label={t.name}
                checked={draft.affectedTenantIds.includes(t.id)}
                onChange={(e) =>
                  set('affectedTenantIds', e.currentTarget.checked ? [...draft.affectedTenantIds, t.id] : draft.affectedTenantIds.filter((x) => x !== t.id))
                }
              />
            ))}
            {tenants.length === 0 && <span className="bp6-text-muted">{choices.status === 'loading' ? 'Loading tenants…' : 'No tenants.'}</span>}
          </div>
        </FormGroup>
      </DialogBody>
      <ConfirmFooter onCancel={onClose} busy={busy} confirm={{ text: 'Save details', disabled: unchanged, testId: 'edit-details-save' }}>
        {checked.ok && !unchanged && <span className="bp6-text-muted">Saved on this computer first; deadlines recompute at once.</span>}
      </ConfirmFooter>
    </form>
  );
};

/** Correcting an incident's facts after it was opened: only the changed fields are sent, based on the version shown. */
export const EditDetailsDialog = (props: Props & { isOpen: boolean }) => (
  <Dialog isOpen={props.isOpen} onClose={props.onClose} title="Edit details" icon={<EditIcon />} className="attest-edit-details">
    {props.isOpen && <Form key={props.incident.id} {...props} />}
  </Dialog>
);

import { Button, ButtonGroup, Callout, FormGroup, TextArea } from '@blueprintjs/core';
import { useState } from 'react';
import { IncidentEditSchema } from '../../../../shared/incidents/edits';
import type { IncidentConflict, ResolveConflictInput } from '../../../../shared/ipc/incidents';
import { describeChange, formatTime, mergeNoteDraft, theirsOf, type TenantName } from './incidentsModel';

interface Props {
  conflicts: readonly IncidentConflict[];
  tenantName: TenantName;
  /** Who a user id is, as far as the console knows. */
  person(userId: string): string;
  onResolve(input: ResolveConflictInput): Promise<void>;
}

const MERGE_LIMIT = 20_000;

const One = ({ conflict, tenantName, person, onResolve }: Omit<Props, 'conflicts'> & { conflict: IncidentConflict }) => {
  const [merging, setMerging] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const edit = IncidentEditSchema.safeParse(conflict.edit);
  const mine = edit.success ? describeChange(edit.data, tenantName, person) : String(conflict.edit.kind);
  const resolve = (input: ResolveConflictInput) => {
    setBusy(true);
    void onResolve(input).finally(() => setBusy(false));
  };
  const startMerge = () => {
    setText(mergeNoteDraft(conflict, tenantName, person));
    setMerging(true);
  };
  const trimmed = text.trim();
  const mergeable = trimmed.length > 0 && trimmed.length <= MERGE_LIMIT;
  const merge = () => mergeable && resolve({ seq: conflict.seq, choice: 'merge_notes', text: trimmed });
  const theirs = conflict.theirs;

  return (
    <Callout intent="danger" compact data-testid="incident-conflict" title="Your offline edit conflicts with a newer change" className="attest-conflict">
      <dl className="attest-conflict-sides">
        <dt>Yours</dt>
        <dd data-testid="conflict-mine">
          {mine}
          {edit.success && <span className="attest-muted"> · made {formatTime(edit.data.at)}</span>}
        </dd>
        <dt>The service</dt>
        <dd data-testid="conflict-theirs">
          {theirs ? (
            <>
              {edit.success ? theirsOf(edit.data, theirs, tenantName, person) : `severity ${theirs.severity}, status ${theirs.status.replace('_', ' ')}`}, version {theirs.version}
              {conflict.theirChange && (
                <span className="attest-muted">
                  {' '}
                  · changed {formatTime(conflict.theirChange.at)} by {person(conflict.theirChange.actorId)}
                </span>
              )}
            </>
          ) : (
            'not known to this console yet'
          )}
        </dd>
      </dl>
      {conflict.code !== 'edit_conflict' && <p>{conflict.message}</p>}
      {merging ? (
        <FormGroup
          label="Note to add (the field stays as the service has it)"
          labelFor={`merge-${conflict.seq}`}
          helperText={`Ctrl+Enter adds it, Esc goes back. ${trimmed.length > MERGE_LIMIT ? `Too long: ${trimmed.length} of ${MERGE_LIMIT} characters.` : ''}`}
          intent={trimmed.length > MERGE_LIMIT ? 'danger' : 'none'}
        >
          <TextArea
            id={`merge-${conflict.seq}`}
            data-testid="conflict-merge-text"
            fill
            // eslint-disable-next-line jsx-a11y/no-autofocus -- kept: the field appears on the person's own Merge click and the Merge button that had focus goes; focus would otherwise fall to the page
            autoFocus
            rows={4}
            value={text}
            // The caret goes after the draft: the user adds their reasoning below both sides.
            onFocus={(e) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                merge();
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                setMerging(false);
              }
            }}
          />
          <ButtonGroup className="attest-conflict-actions">
            <Button small intent="primary" disabled={!mergeable} loading={busy} onClick={merge}>
              Add note, keep theirs
            </Button>
            <Button small onClick={() => setMerging(false)} disabled={busy}>
              Back
            </Button>
          </ButtonGroup>
        </FormGroup>
      ) : (
        <div className="attest-conflict-actions" role="group" aria-label="Resolve the conflict">
          <Button small intent="primary" loading={busy} onClick={() => resolve({ seq: conflict.seq, choice: 'keep_mine' })} title="Apply your change on top of the service's version">
            Keep mine
          </Button>
          <Button small disabled={busy} onClick={() => resolve({ seq: conflict.seq, choice: 'keep_theirs' })} title="Drop your change; the timeline records that it was not applied">
            Keep theirs
          </Button>
          <Button small disabled={busy} onClick={startMerge} title="Keep the service's version and add your change as a note you can edit">
            Merge notes…
          </Button>
        </div>
      )}
    </Callout>
  );
};

/** A declaration the service refused: its reason, and the one answer there is (drop it, and what was written on it). */
const RefusedDeclaration = ({ conflict, onResolve }: { conflict: IncidentConflict; onResolve: Props['onResolve'] }) => {
  const [busy, setBusy] = useState(false);
  return (
    <Callout intent="danger" compact data-testid="incident-conflict" title="The service refused this declaration" className="attest-conflict">
      <p>{conflict.message}</p>
      <p className="attest-muted">Drop it (with what was written on it here), then declare the incident again with corrected facts.</p>
      <Button
        small
        intent="danger"
        loading={busy}
        onClick={() => {
          setBusy(true);
          void onResolve({ seq: conflict.seq, choice: 'keep_theirs' }).finally(() => setBusy(false));
        }}
      >
        Drop declaration
      </Button>
    </Callout>
  );
};

/** Edits the service refused because the incident moved on: nothing is dropped until the user answers. */
export const ConflictPanel = ({ conflicts, ...rest }: Props) => (
  <div className="attest-conflicts" data-testid="conflict-panel">
    {conflicts.map((c) => (c.edit.kind === 'declare' ? <RefusedDeclaration key={c.seq} conflict={c} onResolve={rest.onResolve} /> : <One key={c.seq} conflict={c} {...rest} />))}
  </div>
);

import { Button, Callout, Classes, H2, H4, Spinner, Tag } from '@blueprintjs/core';
import { ArrowLeftIcon, BanCircleIcon, RefreshIcon } from '@blueprintjs/icons';
import { useEffect, useMemo } from 'react';
import type { Person } from '../../../../shared/people/schemas';
import { useAuthStore } from '../../auth/authStore';
import { allowed } from '../../auth/grants';
import { adviceFor } from '../../components/errorAdvice';
import { useNavigationStore } from '../../shell/navigationStore';
import { CutOffDialog } from './CutOffDialog';
import { usePersonPageStore } from './personPageStore';
import { PersonAudit, PersonMemberships, PersonTokens } from './PersonRecords';
import { PersonSessions } from './PersonSessions';

function PersonHeader({ person, mayCutOff, isSelf }: { person: Person; mayCutOff: boolean; isSelf: boolean }) {
  const openCutOff = () => void usePersonPageStore.getState().openCutOff(person.userId);
  return (
    <header className="attest-person-header">
      <div>
        <H2 className="attest-person-name" data-testid="person-name">
          {person.displayName}
        </H2>
        <div className={Classes.TEXT_MUTED} title={person.userId}>
          {person.email}
        </div>
        <div className="attest-person-tags" data-testid="person-state">
          <Tag intent={person.accountStatus === 'locked' ? 'danger' : 'success'} minimal data-testid="person-account-status">
            {person.accountStatus === 'locked' ? 'Account locked' : 'Account active'}
          </Tag>
          <Tag intent={person.mfaEnrolled ? 'success' : 'warning'} minimal data-testid="person-mfa">
            {person.mfaEnrolled ? 'MFA enrolled' : 'MFA not enrolled'}
          </Tag>
          {person.recoveryCodesLeft !== null && (
            <Tag minimal intent={person.recoveryCodesLeft <= 2 ? 'warning' : 'none'} data-testid="person-recovery-codes">
              {person.recoveryCodesLeft} recovery code{person.recoveryCodesLeft === 1 ? '' : 's'} left
            </Tag>
          )}
          {person.platformStaff && (
            <Tag minimal intent="primary">
              Platform staff
            </Tag>
          )}
        </div>
      </div>
      {mayCutOff && (
        <Button
          intent="danger"
          icon={<BanCircleIcon />}
          text="Cut off access…"
          disabled={isSelf}
          title={isSelf ? 'You cannot cut off your own access; sign out, or ask another admin.' : 'Deactivate, revoke and end what your authority reaches, in one step'}
          onClick={openCutOff}
          data-testid="person-cut-off"
        />
      )}
    </header>
  );
}

/** One person as the caller may see them, and the one-step "Cut off access". */
export default function PersonPage() {
  const open = useNavigationStore((s) => s.person);
  const closePerson = useNavigationStore((s) => s.closePerson);
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const load = usePersonPageStore((s) => s.person);
  const shownId = usePersonPageStore((s) => s.userId);
  const userId = open?.userId ?? null;

  useEffect(() => {
    if (!userId) return;
    void usePersonPageStore.getState().load(userId);
    if (open?.cutOff) void usePersonPageStore.getState().openCutOff(userId);
    else usePersonPageStore.getState().closeCutOff();
  }, [userId, open]);

  const person = shownId === userId && 'value' in load ? load.value : undefined;
  const tenantName = useMemo(() => {
    const names = new Map(person?.memberships.map((m) => [m.tenantId as string, m.tenantName]) ?? []);
    return (id: string) => names.get(id) ?? 'another tenant';
  }, [person]);
  if (!userId) return null;
  const mayCutOff = allowed(me, 'people.cut_off', null);
  return (
    <section className="attest-person-page" aria-label="Person" data-testid="person-page" data-user-id={userId}>
      <div className="attest-person-toolbar">
        <Button variant="minimal" icon={<ArrowLeftIcon />} text="Back" onClick={closePerson} data-testid="person-back" />
        <Button variant="minimal" icon={<RefreshIcon />} aria-label="Reload" title="Reload" onClick={() => void usePersonPageStore.getState().load(userId)} />
        {load.status === 'loading' && <Spinner size={16} aria-label="Loading" />}
      </div>
      {load.status === 'error' && (
        <Callout compact intent={load.error.code === 'not_found' ? 'warning' : 'danger'} data-testid="person-error" data-code={load.error.code}>
          {load.error.code === 'not_found' ? 'No person with this id among the tenants you administer.' : `${load.error.message} ${adviceFor(load.error.code)}`}
        </Callout>
      )}
      {person && (
        <>
          <PersonHeader person={person} mayCutOff={mayCutOff} isSelf={me?.user.id === person.userId} />
          <H4>Memberships</H4>
          <PersonMemberships person={person} />
          <H4>Live sessions ({person.sessions.length})</H4>
          <PersonSessions person={person} tenantName={tenantName} />
          <H4>API tokens they created</H4>
          <PersonTokens person={person} tenantName={tenantName} />
          <H4>Recent audit events about them</H4>
          <PersonAudit person={person} />
          <CutOffDialog userId={person.userId} who={person.displayName || person.email} />
        </>
      )}
    </section>
  );
}

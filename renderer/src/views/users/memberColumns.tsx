import { Classes, Menu, MenuItem } from '@blueprintjs/core';
import type { ReactElement } from 'react';
import { CellTag } from '../../components/CellTag';
import { RowMenuButton } from '../../components/RowMenu';
import type { Member } from '../../../../shared/identity/schemas';
import { TENANT_ROLE_LABELS } from '../../../../shared/identity/roles';
import type { DataColumn } from '../../components/DataTable';
import { DateTime } from '../../components/DateTime';
import { PersonCell } from '../../components/PersonCell';


export interface MemberActions {
  changeRole: ((member: Member) => void) | null;
  deactivate: ((member: Member) => void) | null;
  reactivate: ((member: Member) => void) | null;
  resetMfa: ((member: Member) => void) | null;
}

const STATUS_LABEL = { active: 'Active', invited: 'Invited', deactivated: 'Deactivated' } as const;

/** The actions the caller may take on a member, as the row's menu lists them; null when there are none. */
export function memberMenu(m: Member, { changeRole, deactivate, reactivate, resetMfa }: MemberActions): ReactElement | null {
  if (!changeRole && !deactivate && !reactivate && !resetMfa) return null;
  return (
    <Menu>
      {changeRole && <MenuItem text="Change role…" data-testid="member-change-role" onClick={() => changeRole(m)} />}
      {resetMfa && m.status !== 'invited' && <MenuItem text="Reset MFA…" intent="danger" data-testid="member-reset-mfa" onClick={() => resetMfa(m)} />}
      {deactivate && m.status !== 'deactivated' && (
        <MenuItem text={m.status === 'invited' ? 'Cancel invite…' : 'Deactivate…'} intent="danger" data-testid="member-deactivate" onClick={() => deactivate(m)} />
      )}
      {reactivate && m.status === 'deactivated' && <MenuItem text="Reactivate…" data-testid="member-reactivate" onClick={() => reactivate(m)} />}
    </Menu>
  );
}

/** `openMenu` null: the caller may take no action on members (no actions column). */
export function memberColumns(openMenu: ((member: Member, anchor: HTMLElement) => void) | null): DataColumn<Member>[] {
  const columns: DataColumn<Member>[] = [
    {
      id: 'name',
      header: 'Name',
      width: 'auto',
      glance: true,
      csv: (m) => m.displayName || m.email,
      cell: (m) => <PersonCell userId={m.userId} name={m.displayName} email={m.email} link={m.status !== 'invited'} />,
    },
    { id: 'role', header: 'Role', width: '112px', csv: (m) => TENANT_ROLE_LABELS[m.role], cell: (m) => <span data-testid="member-role">{TENANT_ROLE_LABELS[m.role]}</span> },
    {
      id: 'mfa',
      header: 'MFA',
      // Wide enough for the "Not enrolled" tag.
      width: '120px',
      csv: (m) => (m.mfaEnrolled ? 'Enrolled' : 'Not enrolled'),
      cell: (m) =>
        m.mfaEnrolled ? (
          <CellTag intent="success">Enrolled</CellTag>
        ) : (
          <CellTag intent="warning">Not enrolled</CellTag>
        ),
    },
    {
      id: 'status',
      header: 'Status',
      width: '112px',
      csv: (m) => STATUS_LABEL[m.status],
      cell: (m) => (
        <span data-testid="member-status" className={m.status === 'active' ? undefined : Classes.TEXT_MUTED}>
          {STATUS_LABEL[m.status]}
        </span>
      ),
    },
    {
      id: 'lastSignInAt',
      header: 'Last sign-in',
      width: '168px',
      csv: (m) => m.lastSignInAt ?? null,
      cell: (m) =>
        m.lastSignInAt ? <DateTime value={m.lastSignInAt} /> : <span className={Classes.TEXT_MUTED}>Never</span>,
    },
  ];
  if (openMenu) {
    columns.push({
      id: 'actions',
      header: '',
      width: '48px',
      cell: (m) => <RowMenuButton label={`Actions for ${m.displayName || m.email}`} testId="member-actions" onOpen={(anchor) => openMenu(m, anchor)} />,
    });
  }
  return columns;
}

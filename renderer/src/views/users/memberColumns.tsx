import { Button, Classes, Tag } from '@blueprintjs/core';
import { EditIcon } from '@blueprintjs/icons';
import type { Member } from '../../../../shared/identity/schemas';
import { TENANT_ROLE_LABELS } from '../../../../shared/identity/roles';
import type { DataColumn } from '../../components/DataTable';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function memberColumns(onChangeRole: ((member: Member) => void) | null): DataColumn<Member>[] {
  const columns: DataColumn<Member>[] = [
    {
      id: 'name',
      header: 'Name',
      width: 'auto',
      cell: (m) => (
        <span className="attest-member-name">
          <span className="attest-cell-strong">{m.displayName || m.email}</span>
          <span className={Classes.TEXT_MUTED}>{m.email}</span>
        </span>
      ),
    },
    { id: 'role', header: 'Role', width: '112px', cell: (m) => <span data-testid="member-role">{TENANT_ROLE_LABELS[m.role]}</span> },
    {
      id: 'mfa',
      header: 'MFA',
      width: '104px',
      cell: (m) =>
        m.mfaEnrolled ? (
          <Tag minimal intent="success">Enrolled</Tag>
        ) : (
          <Tag minimal intent="warning">Not enrolled</Tag>
        ),
    },
    {
      id: 'status',
      header: 'Status',
      width: '112px',
      cell: (m) => (m.status === 'active' ? 'Active' : <span className={Classes.TEXT_MUTED}>Deactivated</span>),
    },
    {
      id: 'lastSignInAt',
      header: 'Last sign-in',
      width: '168px',
      cell: (m) =>
        m.lastSignInAt ? <time dateTime={m.lastSignInAt}>{dateTime.format(new Date(m.lastSignInAt))}</time> : <span className={Classes.TEXT_MUTED}>Never</span>,
    },
  ];
  if (onChangeRole) {
    columns.push({
      id: 'actions',
      header: '',
      width: '124px',
      cell: (m) => (
        <Button
          size="small"
          variant="minimal"
          icon={<EditIcon />}
          text="Change role"
          data-testid="member-change-role"
          onClick={(event) => {
            event.stopPropagation();
            onChangeRole(m);
          }}
        />
      ),
    });
  }
  return columns;
}

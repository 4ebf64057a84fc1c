import { FlameIcon, HistoryIcon, InboxIcon, ConfirmIcon, KeyIcon, OfficeIcon, PeopleIcon, ShieldIcon } from '@blueprintjs/icons';
import { lazy, useMemo, type ComponentType, type LazyExoticComponent, type ReactElement } from 'react';
import type { Action } from '../../../shared/identity/permissions';
import { allowed } from '../auth/grants';
import { useAuthStore } from '../auth/authStore';

import type { SectionId } from './sectionIds';

export type { SectionId };

export interface Section {
  id: SectionId;
  label: string;
  icon: ReactElement;
  /** Shown to those who may do this in some tenant (the service still checks every call); 'signed_in': to everyone. */
  permission: Action | 'signed_in';
  /** Each view is its own chunk, fetched the first time it is opened. */
  View: LazyExoticComponent<ComponentType>;
}

export const SECTIONS: readonly Section[] = [
  { id: 'tenants', permission: 'tenants.list', label: 'Tenants', icon: <OfficeIcon />, View: lazy(() => import('../views/tenants/TenantsView')) },
  { id: 'users', permission: 'members.read', label: 'Users', icon: <PeopleIcon />, View: lazy(() => import('../views/users/UsersView')) },
  { id: 'sessions', permission: 'sessions.read', label: 'Sessions', icon: <KeyIcon />, View: lazy(() => import('../views/sessions/SessionsView')) },
  { id: 'incidents', permission: 'incidents.read', label: 'Incidents', icon: <FlameIcon />, View: lazy(() => import('../views/incidents/IncidentsView')) },
  { id: 'audit', permission: 'audit.read', label: 'Audit', icon: <HistoryIcon />, View: lazy(() => import('../views/audit/AuditView')) },
  { id: 'posture', permission: 'posture.read', label: 'Posture', icon: <ShieldIcon />, View: lazy(() => import('../views/posture/PostureView')) },
  // Last, so that the shortcuts of the sections above keep their numbers. Everyone has requests of their own to follow.
  { id: 'approvals', permission: 'signed_in', label: 'Approvals', icon: <InboxIcon />, View: lazy(() => import('../views/approvals/ApprovalsView')) },
  { id: 'reviews', permission: 'access_reviews.read', label: 'Reviews', icon: <ConfirmIcon />, View: lazy(() => import('../views/reviews/ReviewsView')) },
];

/** The sections the signed-in person may open, in order. */
export const useVisibleSections = (): readonly Section[] => {
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  return useMemo(() => SECTIONS.filter((section) => (section.permission === 'signed_in' ? me !== null : allowed(me, section.permission, null))), [me]);
};

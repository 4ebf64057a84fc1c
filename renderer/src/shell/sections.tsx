import { FlameIcon, HistoryIcon, KeyIcon, OfficeIcon, PeopleIcon, ShieldIcon } from '@blueprintjs/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactElement } from 'react';

export type SectionId = 'tenants' | 'users' | 'sessions' | 'incidents' | 'audit' | 'posture';

export interface Section {
  id: SectionId;
  label: string;
  icon: ReactElement;
  /** Each view is its own chunk, fetched the first time it is opened. */
  View: LazyExoticComponent<ComponentType>;
}

export const SECTIONS: readonly Section[] = [
  { id: 'tenants', label: 'Tenants', icon: <OfficeIcon />, View: lazy(() => import('../views/tenants/TenantsView')) },
  { id: 'users', label: 'Users', icon: <PeopleIcon />, View: lazy(() => import('../views/users/UsersView')) },
  { id: 'sessions', label: 'Sessions', icon: <KeyIcon />, View: lazy(() => import('../views/sessions/SessionsView')) },
  { id: 'incidents', label: 'Incidents', icon: <FlameIcon />, View: lazy(() => import('../views/incidents/IncidentsView')) },
  { id: 'audit', label: 'Audit', icon: <HistoryIcon />, View: lazy(() => import('../views/audit/AuditView')) },
  { id: 'posture', label: 'Posture', icon: <ShieldIcon />, View: lazy(() => import('../views/posture/PostureView')) },
];

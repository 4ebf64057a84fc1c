import { z } from 'zod';

/** Roles a user holds in one tenant, from most to least powerful. */
export const TENANT_ROLES = ['owner', 'admin', 'editor', 'reviewer', 'viewer'] as const;
export const TenantRoleSchema = z.enum(TENANT_ROLES);
export type TenantRole = z.infer<typeof TenantRoleSchema>;

/** Roles of the operator's own staff, across all tenants. The auditor is read-only. */
export const PLATFORM_ROLES = ['security_officer', 'incident_responder', 'platform_admin', 'auditor'] as const;
export const PlatformRoleSchema = z.enum(PLATFORM_ROLES);
export type PlatformRole = z.infer<typeof PlatformRoleSchema>;

export const TENANT_ROLE_LABELS: Readonly<Record<TenantRole, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  editor: 'Editor',
  reviewer: 'Reviewer',
  viewer: 'Viewer',
};

export const PLATFORM_ROLE_LABELS: Readonly<Record<PlatformRole, string>> = {
  security_officer: 'Security officer',
  incident_responder: 'Incident responder',
  platform_admin: 'Platform admin',
  auditor: 'Auditor (read-only)',
};

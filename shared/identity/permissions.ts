import type { PlatformRole, TenantRole } from './roles';

/**
 * The permission matrix: one row per action, naming the tenant roles (in the
 * action's tenant) and the platform roles (in every tenant) that may perform it.
 * The service checks it on every route; the console uses it to hide what a role
 * cannot do. Data, not code: change access here and nowhere else.
 */
export interface PermissionRule {
  /** Reads change nothing; the read-only auditor may hold only reads. */
  readonly kind: 'read' | 'write';
  /** Destructive actions also need a fresh authenticator code (step-up). */
  readonly stepUp: boolean;
  readonly tenantRoles: readonly TenantRole[];
  readonly platformRoles: readonly PlatformRole[];
  readonly description: string;
  /**
   * Operator API tokens (machine credentials that act as platform admins) may
   * perform this step-up action without the step-up they cannot give: what an
   * operator automates (a sign-up flow creating tenants). People still step up.
   */
  readonly operatorTokens?: boolean;
}

const ALL_TENANT: readonly TenantRole[] = ['owner', 'admin', 'editor', 'reviewer', 'viewer'];
const ALL_PLATFORM: readonly PlatformRole[] = ['security_officer', 'incident_responder', 'platform_admin', 'auditor'];

export const PERMISSIONS = {
  'tenants.list': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ALL_TENANT,
    platformRoles: ALL_PLATFORM,
    description: 'List tenants (members see only their own)',
  },
  'tenants.read': { kind: 'read', stepUp: false, tenantRoles: ALL_TENANT, platformRoles: ALL_PLATFORM, description: 'Read a tenant' },
  'tenants.create': {
    kind: 'write',
    stepUp: true,
    operatorTokens: true,
    tenantRoles: [],
    platformRoles: ['platform_admin'],
    description: 'Create a tenant and invite its first owner (operator API tokens too, for sign-up flows)',
  },
  'tenants.summary': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ALL_PLATFORM,
    description: "Read a tenant's counts: members, MFA coverage, live sessions, open incidents, audit head",
  },
  'tenant_settings.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ALL_PLATFORM,
    description: "Read a tenant's settings: name, plan, region, status, session limits and their bounds, MFA enforcement",
  },
  'tenant_settings.write': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: "Change a tenant's name and session limits",
  },
  'tenants.plan': {
    kind: 'write',
    stepUp: true,
    tenantRoles: [],
    platformRoles: ['platform_admin'],
    description: "Change a tenant's plan",
  },
  'tenants.suspend': {
    kind: 'write',
    stepUp: true,
    tenantRoles: [],
    platformRoles: ['security_officer', 'platform_admin'],
    description: 'Request or approve suspending or reinstating a tenant (a second person must approve)',
  },
  'members.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin', 'reviewer'],
    platformRoles: ['security_officer', 'platform_admin', 'auditor'],
    description: "List a tenant's members, their roles and MFA state",
  },
  'members.change_role': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: "Change a member's role",
  },
  'members.invite': {
    kind: 'write',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: 'Invite someone to a tenant with a role',
  },
  'members.deactivate': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: 'Deactivate a member (ends their sessions) or reactivate them',
  },
  'mfa_policy.write': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: "Turn a tenant's MFA enforcement on or off (off needs a remediation plan)",
  },
  'mfa.reset': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: "Reset a member's MFA (they must enrol again)",
  },
  'sessions.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ALL_PLATFORM,
    description: "List a tenant's sessions",
  },
  'sessions.revoke': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'incident_responder', 'platform_admin'],
    description: 'Revoke sessions of others',
  },
  'audit.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin', 'reviewer'],
    platformRoles: ALL_PLATFORM,
    description: "Read a tenant's audit log",
  },
  'posture.read': {
    kind: 'read',
    stepUp: false,
    // The roles that already read what posture summarises (members, settings, audit); figures are aggregates only.
    tenantRoles: ['owner', 'admin', 'reviewer'],
    platformRoles: ALL_PLATFORM,
    description: "Read a tenant's (or the platform's) control posture: each control's status, evidence figures and framework mappings",
  },
  'posture.snapshot': {
    kind: 'write',
    // Adds evidence (a stored evaluation and its hash in the log) and changes nothing else, like signing a head.
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: "Evaluate a tenant's (or the platform's) posture now and store it as a snapshot anchored in its audit log",
  },
  'trust_page.publish': {
    kind: 'write',
    // What customers read as the tenant's promise, served to anyone: a person confirms it with a fresh code.
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: "Publish a tenant's (or the platform's) trust page: a signed snapshot anyone can fetch and verify",
  },
  'posture.remediate': {
    kind: 'write',
    // A plan adds a promise and a date to a control that already warns or fails; it changes no access.
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: "Set or remove a control's remediation plan (owner, target date, compensating controls, status) for a tenant (or the platform)",
  },
  'audit.sign_head': {
    kind: 'write',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: 'Have the service sign a tree head over the log as it stands now (it signs one every few seconds anyway)',
  },
  'incidents.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ALL_PLATFORM,
    description: 'Read incidents affecting a tenant',
  },
  'incidents.write': {
    kind: 'write',
    stepUp: false,
    tenantRoles: [],
    platformRoles: ['security_officer', 'incident_responder'],
    description: 'Open, triage and update incidents',
  },
  'audit.erase_personal': {
    kind: 'write',
    stepUp: true,
    tenantRoles: [],
    platformRoles: ['security_officer'],
    description: "Erase the personal data of an audit event (its leaf still verifies)",
  },
  'members.remove': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: "Remove a tenant's members in bulk (a second person must approve)",
  },
  'platform_roles.grant': {
    kind: 'write',
    stepUp: true,
    tenantRoles: [],
    platformRoles: ['security_officer', 'platform_admin'],
    description: 'Request or approve a time-bounded platform role (a second person must approve)',
  },
  'access_reviews.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin', 'reviewer'],
    platformRoles: ['security_officer', 'platform_admin', 'auditor'],
    description: "List a tenant's access review campaigns and their decisions",
  },
  'access_reviews.decide': {
    kind: 'write',
    stepUp: false,
    tenantRoles: ['owner', 'admin', 'reviewer'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: 'Decide a membership in an open review (keep, change role, remove) with a comment',
  },
  'access_reviews.manage': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['platform_admin'],
    description: 'Start a review campaign, and close it (applying its removals and role changes)',
  },
  'api_tokens.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin', 'auditor'],
    description: "List a tenant's API tokens (age, last use, expiry, scopes; never the secret)",
  },
  'api_tokens.manage': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: [],
    description: 'Create an API token acting as oneself in this tenant, or rotate one of one\'s own',
  },
  'api_tokens.revoke': {
    kind: 'write',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: "Revoke any of a tenant's API tokens",
  },
  'people.read': {
    kind: 'read',
    stepUp: false,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin', 'auditor'],
    description: "Read one person across the tenants the caller administers (platform staff: the whole account)",
  },
  'people.cut_off': {
    kind: 'write',
    stepUp: true,
    tenantRoles: ['owner', 'admin'],
    platformRoles: ['security_officer', 'platform_admin'],
    description: "Cut off a person's access in one step: tenant admins in their tenants; platform staff lock the whole account",
  },
} as const satisfies Record<string, PermissionRule>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** Who is asking: the roles that matter for authorisation, nothing else. */
export interface Grants {
  readonly platformRoles: readonly PlatformRole[];
  readonly memberships: readonly { readonly tenantId: string; readonly role: TenantRole }[];
}

/**
 * May `grants` perform `action`, in `tenantId` (or, with null, in some tenant:
 * for listing, where the service then filters to the caller's tenants)?
 */
export function can(grants: Grants, action: Action, tenantId: string | null): boolean {
  const rule: PermissionRule = PERMISSIONS[action];
  if (grants.platformRoles.some((r) => rule.platformRoles.includes(r))) return true;
  return grants.memberships.some((m) => (tenantId === null || m.tenantId === tenantId) && rule.tenantRoles.includes(m.role));
}

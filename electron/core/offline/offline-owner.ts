import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AuthState } from '../../../shared/ipc/contract';
import type { TenantId } from '../../../shared/tenants/tenant';
import { CoreError } from '../core-error';
import type { PersonKeyAccount } from '../vault/vault';

/**
 * Whose offline copy may be read: the one place the console binds what it keeps on
 * disk (the incidents outbox and replica, the directory and audit events in it, the
 * audit log copies) to a person. Each person's files live in a folder of their own,
 * sealed under keys of their own in the keychain, and are opened only while that
 * person is signed in: nobody reads them while nobody is, and the next person at the
 * desk gets their own, empty copy.
 */
export interface OfflineOwner {
  userId: string;
  /** The scope the replica is filled from: the nil UUID for platform staff, else their first tenant; null when they have neither. */
  scope: TenantId | null;
}

const PLATFORM_SCOPE = '00000000-0000-0000-0000-000000000000' as TenantId;

/** The owner of reads now: the person signed in, or nobody (signed out, in a sign-in step, or not resumed yet). */
export function offlineOwnerOf(state: AuthState): OfflineOwner | null {
  if (state.step !== 'signed_in') return null;
  const { me } = state;
  // Platform staff see every incident (the nil UUID scope); a tenant's members, their tenant's.
  const scope = me.platformRoles.length > 0 ? PLATFORM_SCOPE : ((me.memberships[0]?.tenantId as TenantId | undefined) ?? null);
  return { userId: me.user.id, scope };
}

/** A person's name on disk and in the keychain: not their id (the folder names would list who used the desk). */
export const ownerTag = (userId: string): string => createHash('sha256').update(`attest offline owner\n${userId}`).digest('hex').slice(0, 32);

/** The person's own folder under `base`. */
export const ownerFolder = (base: string, userId: string): string => join(base, ownerTag(userId));

/** The keychain entry of the person's key for one kind of file. */
export const ownerKeyAccount = (kind: 'outbox-key' | 'replica-key', userId: string): PersonKeyAccount => `${kind}:${ownerTag(userId)}`;

export const nobodySignedIn = (): CoreError =>
  new CoreError('not_signed_in', 'Sign in to see the offline copy: it is kept for the person who filled it and shown to nobody else.');

/** What a replica records of whom and which scope it was filled for; one filled for another is never read. */
export const ownerBinding = (owner: OfflineOwner): string => `${owner.userId} ${owner.scope ?? '-'}`;

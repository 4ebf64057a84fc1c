import type { MemberListOutput, SessionListOutput } from '../../../shared/ipc/directory';
import { IpcError } from '../../../shared/ipc/contract';
import type { Tenant } from '../../../shared/tenants/tenant';
import { NOT_REACHED_CODES } from '../client/not-reached';
import type { DirectoryReplica, MemberListQuery } from './replica-directory';


export interface OfflineDirectory {
  /** The stored members page, or null when there is no copy for this person and tenant. */
  members(tenantId: string, query: MemberListQuery): Promise<MemberListOutput | null>;
  sessions(tenantId: string, filter: { userId?: string | undefined; flagged?: boolean | undefined }): Promise<SessionListOutput | null>;
  tenants(): Promise<Tenant[] | null>;
}

export interface OfflineDirectoryOptions {
  /** Reads the replica (the incident console owns it). */
  read: <T>(read: (replica: DirectoryReplica) => T) => Promise<T>;
  /** Who is signed in now: only their own copy is shown, and "current" is their session. */
  me: () => Promise<{ userId: string; sessionId: string } | null>;
  now?: () => Date;
}

export function createOfflineDirectory({ read, me, now = () => new Date() }: OfflineDirectoryOptions): OfflineDirectory {
  /** The replica, when it holds the directory of the person signed in now. */
  const mine = async <T>(work: (replica: DirectoryReplica, who: { userId: string; sessionId: string }) => T | null): Promise<T | null> => {
    const who = await me();
    if (who === null) return null;
    return read((replica) => (replica.directoryUser() === who.userId ? work(replica, who) : null));
  };
  return {
    members: (tenantId, query) =>
      mine((replica) => {
        const list = replica.memberList(tenantId, query);
        if (list === null) return null;
        const { fetchedAt, cut, ...page } = list;
        return { ...page, offline: { fetchedAt, ...(cut && { cut }) } };
      }),
    sessions: (tenantId, filter) =>
      mine((replica, who) => {
        const list = replica.sessionList(tenantId, filter, now());
        if (list === null) return null;
        const { fetchedAt, cut } = list;
        return { items: list.items.map((s) => ({ ...s, current: s.id === who.sessionId })), offline: { fetchedAt, ...(cut && { cut }) } };
      }),
    tenants: () => mine((replica) => replica.tenants()),
  };
}

/**
 * The service's answer; when the service cannot be reached, the offline copy
 * instead, or (without a copy) the service's error as it was.
 */
export async function orOfflineCopy<T>(online: () => Promise<T>, offline: () => Promise<T | null>): Promise<T> {
  try {
    return await online();
  } catch (error) {
    if (!(error instanceof IpcError) || !NOT_REACHED_CODES.has(error.code)) throw error;
    const copy = await offline().catch(() => null);
    if (copy === null) throw error;
    return copy;
  }
}

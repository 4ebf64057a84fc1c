import { createPersonStore } from '../../platform/personStore';
import type { ApprovalRequest } from '../../../../shared/approvals/schemas';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import { withStepUp } from '../../auth/stepUpStore';
import { toIpcError } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

type Load =
  | { status: 'idle' }
  | { status: 'loading'; value?: ApprovalRequest[] }
  | { status: 'ready'; value: ApprovalRequest[] }
  | { status: 'error'; error: IpcErrorShape; value?: ApprovalRequest[] };

interface ApprovalsStore {
  list: Load;
  load(): Promise<void>;
  /** Through the step-up dialog when the service asks for a fresh code; reloads the inbox after. */
  decide(request: ApprovalRequest, decision: 'approve' | 'deny', comment: string): Promise<ApprovalRequest>;
  /** Takes back one's own pending request; reloads the inbox after. */
  withdraw(request: ApprovalRequest): Promise<ApprovalRequest>;
}

let generation = 0;

export const useApprovalsStore = createPersonStore<ApprovalsStore>('approvals', (set, get) => ({
  list: { status: 'idle' },
  async load() {
    const mine = ++generation;
    const current = get().list;
    const value = 'value' in current ? current.value : undefined;
    set({ list: value ? { status: 'loading', value } : { status: 'loading' } });
    try {
      const items = await getBridge().invoke('approvals.list', {});
      if (mine === generation) set({ list: { status: 'ready', value: items } });
    } catch (error) {
      const { code, message } = toIpcError(error);
      if (mine === generation) set({ list: { status: 'error', error: { code, message }, ...(value && { value }) } });
    }
  },
  async decide(request, decision, comment) {
    const input = { tenantId: request.tenantId, approvalId: request.id, comment };
    const purpose = decision === 'approve' ? 'Approving a request (its action runs now)' : 'Denying a request';
    try {
      return await withStepUp(purpose, () => getBridge().invoke(decision === 'approve' ? 'approvals.approve' : 'approvals.deny', input));
    } finally {
      await get().load();
    }
  },
  async withdraw(request) {
    try {
      return await getBridge().invoke('approvals.withdraw', { tenantId: request.tenantId, approvalId: request.id });
    } finally {
      await get().load();
    }
  },
}));

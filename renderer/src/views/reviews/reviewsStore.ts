import { createPersonStore } from '../../platform/personStore';
import type { AccessReview, AccessReviewSummary, KeepUndecidedResult, ReviewDecision } from '../../../../shared/access-reviews/schemas';
import type { TenantRole } from '../../../../shared/identity/roles';
import type { IpcErrorShape } from '../../../../shared/ipc/contract';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { withStepUp } from '../../auth/stepUpStore';
import { toIpcError } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

interface ReviewsStore {
  tenantId: TenantId | null;
  campaigns: AccessReviewSummary[] | null;
  error: IpcErrorShape | null;
  open: AccessReview | null;
  load(tenantId: TenantId): Promise<void>;
  select(reviewId: string | null): Promise<void>;
  start(tenantId: TenantId, title: string, dueAt: string): Promise<void>;
  decide(userId: string, decision: ReviewDecision, newRole: TenantRole | undefined, comment: string): Promise<void>;
  /** Keeps every undecided membership but one's own; the result says how many. */
  keepUndecided(comment: string): Promise<KeepUndecidedResult | null>;
  close(): Promise<void>;
}

let generation = 0;

export const useReviewsStore = createPersonStore<ReviewsStore>('reviews', (set, get) => {
  const refreshOpen = async () => {
    const { tenantId, open } = get();
    if (!tenantId || !open) return;
    const review = await getBridge().invoke('accessReviews.get', { tenantId, reviewId: open.review.id });
    set({ open: review });
  };
  return {
    tenantId: null,
    campaigns: null,
    error: null,
    open: null,
    async load(tenantId) {
      const mine = ++generation;
      if (get().tenantId !== tenantId) set({ tenantId, campaigns: null, open: null, error: null });
      try {
        const campaigns = await getBridge().invoke('accessReviews.list', { tenantId });
        if (mine !== generation) return;
        set({ campaigns, error: null });
        // What is open refreshes too: another person's decisions show up on Refresh.
        await refreshOpen();
      } catch (error) {
        const { code, message } = toIpcError(error);
        if (mine === generation) set({ error: { code, message } });
      }
    },
    async select(reviewId) {
      const { tenantId } = get();
      if (!tenantId || reviewId === null) return set({ open: null });
      set({ open: await getBridge().invoke('accessReviews.get', { tenantId, reviewId }) });
    },
    async start(tenantId, title, dueAt) {
      const review = await withStepUp('Starting an access review', () => getBridge().invoke('accessReviews.start', { tenantId, title, dueAt }));
      set({ open: review });
      await get().load(tenantId);
    },
    async decide(userId, decision, newRole, comment) {
      const { tenantId, open } = get();
      if (!tenantId || !open) return;
      await getBridge().invoke('accessReviews.decide', { tenantId, reviewId: open.review.id, userId, decision, ...(newRole ? { newRole } : {}), comment });
      await get().load(tenantId);
    },
    async keepUndecided(comment) {
      const { tenantId, open } = get();
      if (!tenantId || !open) return null;
      const result = await getBridge().invoke('accessReviews.keepUndecided', { tenantId, reviewId: open.review.id, comment });
      set({ open: result.review });
      await get().load(tenantId);
      return result;
    },
    async close() {
      const { tenantId, open } = get();
      if (!tenantId || !open) return;
      await withStepUp('Closing the review (its removals and role changes apply now)', () =>
        getBridge().invoke('accessReviews.close', { tenantId, reviewId: open.review.id }),
      );
      await get().load(tenantId);
    },
  };
});

import type { IpcErrorShape, IpcInput, IpcOutput } from '../../../../shared/ipc/contract';
import type { TrustPagePublication } from '../../../../shared/trust-page/api';
import { withStepUp } from '../../auth/stepUpStore';
import { createPersonStore } from '../../platform/personStore';
import { toErrorShape } from '../../platform/ipcError';
import { getBridge } from '../../platform/platform';

interface Op<R> {
  running: boolean;
  result: R | null;
  error: IpcErrorShape | null;
}
const idle = <R,>(): Op<R> => ({ running: false, result: null, error: null });
interface TrustPageStore {
  scope: string | null;
  preview: Op<IpcOutput<'trustPage.preview'>>;
  publications: TrustPagePublication[] | null;
  publishing: Op<TrustPagePublication>;
  verifying: Op<IpcOutput<'trustPage.verify'>>;
  saving: Op<IpcOutput<'trustPage.exportBundle'>>;
  exporting: Op<IpcOutput<'trustPage.export'>>;
  open(scope: string): Promise<void>;
  loadPreview(): Promise<void>;
  publish(): Promise<void>;
  verify(input: IpcInput<'trustPage.verify'>): Promise<void>;
  saveBundle(): Promise<void>;
  /** The previewed or the latest published page as Markdown or PDF (browser mode: printHtml to print here). */
  exportPage(page: 'preview' | 'published', format: 'markdown' | 'pdf'): Promise<void>;
  /** Closes browser mode's print preview. */
  donePrinting(): void;
}

export const useTrustPageStore = createPersonStore<TrustPageStore>('trustPage', (set, get) => {
  /** Runs one operation of the scope shown; an answer for a scope left meanwhile is dropped. */
  const run = async <K extends 'preview' | 'publishing' | 'verifying' | 'saving' | 'exporting', R>(key: K, work: () => Promise<R>): Promise<R | null> => {
    const scope = get().scope;
    set({ [key]: { running: true, result: null, error: null } } as Partial<TrustPageStore>);
    try {
      const result = await work();
      if (get().scope === scope) set({ [key]: { running: false, result, error: null } } as Partial<TrustPageStore>);
      return result;
    } catch (error) {
      if (get().scope === scope) set({ [key]: { running: false, result: null, error: toErrorShape(error) } } as Partial<TrustPageStore>);
      return null;
    }
  };
  return {
    scope: null,
    preview: idle(),
    publications: null,
    publishing: idle(),
    verifying: idle(),
    saving: idle(),
    exporting: idle(),
    async open(scope) {
      if (get().scope !== scope) set({ scope, preview: idle(), publications: null, publishing: idle(), saving: idle(), exporting: idle() });
      try {
        const list = await getBridge().invoke('trustPage.publications', { tenantId: scope });
        if (get().scope === scope) set({ publications: list });
      } catch {
        if (get().scope === scope) set({ publications: [] });
      }
    },
    async loadPreview() {
      const scope = get().scope;
      if (scope) await run('preview', () => getBridge().invoke('trustPage.preview', { tenantId: scope }));
    },
    async publish() {
      const scope = get().scope;
      if (!scope) return;
      const done = await run('publishing', () => withStepUp('Publishing the trust page (anyone can read it from then on)', () => getBridge().invoke('trustPage.publish', { tenantId: scope })));
      if (done) await get().open(scope);
    },
    async verify(input) {
      await run('verifying', () => getBridge().invoke('trustPage.verify', input));
    },
    async saveBundle() {
      const scope = get().scope;
      if (scope) await run('saving', () => getBridge().invoke('trustPage.exportBundle', { tenantId: scope }));
    },
    async exportPage(page, format) {
      const scope = get().scope;
      if (scope) await run('exporting', () => getBridge().invoke('trustPage.export', { tenantId: scope, page, format }));
    },
    donePrinting() {
      set({ exporting: idle() });
    },
  };
});

import type { IpcErrorShape } from '../../../shared/ipc/contract';
import { toErrorShape } from './ipcError';
import { getPlatform } from './platform';
import type { TransportState } from './transport';

/**
 * One step of a store that does one thing at a time: nothing while another runs,
 * `busy` while it runs, and its failure kept in `error` for the screen.
 */
export const exclusiveSteps =
  (get: () => { busy: boolean }, set: (partial: { busy?: boolean; error?: IpcErrorShape | null }) => void) =>
  async (work: () => Promise<void>): Promise<void> => {
    if (get().busy) return;
    set({ busy: true, error: null });
    try {
      await work();
    } catch (error) {
      set({ error: toErrorShape(error) });
    } finally {
      set({ busy: false });
    }
  };

/**
 * Asks the core with `refresh` now and again whenever the page's link to it opens:
 * events sent while the link was down are lost. `otherwise` hears the link's state
 * while it is not open. In Electron there is no link, so one ask suffices.
 */
export const refreshWhenLinked = (refresh: () => void, otherwise: (kind: TransportState['kind']) => void = () => undefined): void => {
  const { link } = getPlatform();
  if (!link) {
    refresh();
    return;
  }
  const follow = (transport: TransportState) => (transport.kind === 'open' ? refresh() : otherwise(transport.kind));
  link.onTransportChange(follow);
  follow(link.transport);
};

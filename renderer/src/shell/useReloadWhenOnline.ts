import { useEffect } from 'react';
import { useConnectionStore } from './connectionStore';

/** A view showing an offline copy reloads itself once the service is reachable again. */
export function useReloadWhenOnline(showingOfflineCopy: boolean, reload: () => void): void {
  const online = useConnectionStore((s) => s.status?.state === 'online' || s.status?.state === 'syncing');
  useEffect(() => {
    if (showingOfflineCopy && online) reload();
    // reload is a fresh closure each render; the transition is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showingOfflineCopy, online]);
}

import { useEffect, useRef } from 'react';
import { useConnectionStore } from './connectionStore';

/**
 * For a view that can show the console's offline copy: it reloads when the
 * connection changes under it (online again while showing the copy, or the
 * service gone while showing a live list), and is read-only while either holds.
 */
export function useOfflineCopy(showingOfflineCopy: boolean, reload: () => void): { readOnly: boolean } {
  const state = useConnectionStore((s) => s.status?.state);
  const online = state === 'online' || state === 'syncing';
  const away = state === 'offline' || state === 'certificate_problem';
  // reload is a fresh closure each render; the transitions below are what run it.
  const latestReload = useRef(reload);
  useEffect(() => {
    latestReload.current = reload;
  });
  useEffect(() => {
    if ((showingOfflineCopy && online) || (!showingOfflineCopy && away)) latestReload.current();
  }, [showingOfflineCopy, online, away]);
  return { readOnly: showingOfflineCopy || away };
}

import { createContext, useContext, type ReactNode } from 'react';
import type { TimeZoneChoice } from './dateTime';
import { useTimeZone } from './timeZoneStore';

// 'local' only for a tree outside the provider (none in the app: main.tsx wraps the root in it).
const ShownTimeZone = createContext<TimeZoneChoice>('local');

/**
 * Hands the desk's time-zone choice down to every <DateTime>: one store subscription for the app,
 * not one per time cell. A store hook in each cell of a scrolling table queued an effect per cell
 * on every frame; a context read costs nothing, and a change of zone still reaches every cell.
 */
export function TimeZoneProvider({ children }: { children: ReactNode }) {
  const zone = useTimeZone((s) => s.zone);
  return <ShownTimeZone.Provider value={zone}>{children}</ShownTimeZone.Provider>;
}

/** The zone times are shown and typed in. */
export const useShownTimeZone = (): TimeZoneChoice => useContext(ShownTimeZone);

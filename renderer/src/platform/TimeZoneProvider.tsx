import { createContext, useContext, type ReactNode } from 'react';
import type { TimeZoneChoice } from './dateTime';
import { useTimeZone } from './timeZoneStore';

const ShownTimeZone = createContext<TimeZoneChoice | null>(null);

/**
 * Hands the desk's time-zone choice down to every <DateTime>: one store subscription for the app,
 * not one per time cell. A store hook in each cell of a scrolling table queued an effect per cell
 * on every frame; a context read costs nothing, and a change of zone still reaches every cell.
 */
export function TimeZoneProvider({ children }: { children: ReactNode }) {
  const zone = useTimeZone((s) => s.zone);
  return <ShownTimeZone.Provider value={zone}>{children}</ShownTimeZone.Provider>;
}

/** The zone times are shown in; outside the provider (which wraps the whole app), read from the store. */
export const useShownTimeZone = (): TimeZoneChoice => useContext(ShownTimeZone) ?? useTimeZone.getState().zone;

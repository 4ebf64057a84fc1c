import { create } from 'zustand';
import type { TimeZoneChoice } from './dateTime';

const KEY = 'attest.timeZone';

const stored = (): TimeZoneChoice => {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
};

interface TimeZoneState {
  readonly zone: TimeZoneChoice;
  setZone(zone: TimeZoneChoice): void;
}

/**
 * A display preference of this desk, not of a person: it holds nothing the person loaded,
 * so it is not a person store and survives sign-out (lint allows `create` here only).
 */
export const useTimeZone = create<TimeZoneState>()((set) => ({
  zone: stored(),
  setZone(zone) {
    try {
      globalThis.localStorage?.setItem(KEY, zone);
    } catch {
      // Storage refused (private mode): the choice holds for this run only.
    }
    set({ zone });
  },
}));

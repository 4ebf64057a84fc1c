const MIN = 60_000;
const DAY_MINUTES = 24 * 60;

/** A span as a responder reads it at a glance: "2 d 21 h", "21 h", "5 h 30 min", "12 min", "< 1 min". */
export const humanSpan = (ms: number): string => {
  const minutes = Math.round(Math.abs(ms) / MIN);
  if (minutes === 0) return '< 1 min';
  const d = Math.floor(minutes / DAY_MINUTES);
  const h = Math.floor((minutes % DAY_MINUTES) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
};

/** The largest unit only, for a narrow column: "3 d", "21 h", "12 min". */
export const compactSpan = (ms: number): string => {
  const minutes = Math.round(Math.abs(ms) / MIN);
  if (minutes >= DAY_MINUTES) return `${Math.floor(minutes / DAY_MINUTES)} d`;
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h`;
  return minutes === 0 ? '< 1 min' : `${minutes} min`;
};

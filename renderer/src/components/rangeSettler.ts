/**
 * Reports the rows in view to a loader, holding back jumps: a range that overlaps the last one
 * reported (scrolling by wheel or keys, the next rows) goes out at once; one that does not (a
 * scrollbar dragged across thousands of rows) goes out only once the view has rested for
 * `restMs`, so a drag across a million rows loads the pages where it stops, not every page it
 * passed (each page's answer would be parsed and rendered inside the drag's frames).
 *
 * A drag reports a jump on every frame, so a held jump does not re-arm the timer: one timer runs
 * per rest, and when it fires early (the view moved since) it waits out only the remainder.
 */
export interface RangeSettler {
  report(start: number, end: number): void;
  cancel(): void;
}

export const createRangeSettler = (load: (start: number, end: number) => void, restMs: number, now: () => number = () => performance.now()): RangeSettler => {
  let last: { start: number; end: number } | null = null;
  let held: { start: number; end: number; at: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    held = null;
  };
  const send = (start: number, end: number) => {
    cancel();
    last = { start, end };
    load(start, end);
  };
  const wake = () => {
    timer = null;
    if (held === null) return;
    const at = now();
    // A clock that went back (an injected one; performance.now does not) restarts the rest from now: one more rest, not an hour.
    if (at < held.at) held = { ...held, at };
    const waited = at - held.at;
    if (waited >= restMs) send(held.start, held.end);
    else timer = setTimeout(wake, restMs - waited);
  };
  return {
    report(start, end) {
      if (last === null || (start <= last.end && end >= last.start)) {
        send(start, end);
        return;
      }
      held = { start, end, at: now() };
      timer ??= setTimeout(wake, restMs);
    },
    cancel,
  };
};

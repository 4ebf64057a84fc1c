import { createRestTimer } from './restTimer';

/**
 * Reports the rows in view to a loader, holding back jumps: a range that overlaps the last one
 * reported (scrolling by wheel or keys, the next rows) goes out at once; one that does not (a
 * scrollbar dragged across thousands of rows) goes out only once the view has rested for
 * `restMs`, so a drag across a million rows loads the pages where it stops, not every page it
 * passed (each page's answer would be parsed and rendered inside the drag's frames).
 */
export interface RangeSettler {
  report(start: number, end: number): void;
  cancel(): void;
}

export const createRangeSettler = (load: (start: number, end: number) => void, restMs: number, now?: () => number): RangeSettler => {
  let last: { start: number; end: number } | null = null;
  let held: { start: number; end: number } | null = null;
  const send = (start: number, end: number) => {
    cancel();
    last = { start, end };
    load(start, end);
  };
  const rest = createRestTimer(() => held && send(held.start, held.end), restMs, now);
  const cancel = () => {
    rest.cancel();
    held = null;
  };
  return {
    report(start, end) {
      if (last === null || (start <= last.end && end >= last.start)) {
        send(start, end);
        return;
      }
      held = { start, end };
      rest.poke();
    },
    cancel,
  };
};

/// <reference lib="dom" />
/**
 * Functions that run inside the console's page (passed to page.evaluate, so each is
 * self-contained). Times come from the page's own clock and requestAnimationFrame.
 */

export interface PaintProbeArgs {
  /** A loaded row of the table. */
  readonly rows: string;
  /** The title of the table's empty state (the baseline: an empty table, settled). */
  readonly emptyTitle: string;
  /** What this walk waits for: the rows (the large tenant) or the empty state (the baseline); the other is the previous walk's. */
  readonly expect: 'rows' | 'empty';
}

interface ProbeWindow {
  __attestPaint?: { start: number; painted: number | null; what: 'rows' | 'empty' | null };
}

/**
 * Starts the clock now and watches every frame for the first loaded row (or the settled
 * empty state); the frame after the one that first holds it has painted it, and its time is kept.
 */
export const startPaintProbe = ({ rows, emptyTitle, expect }: PaintProbeArgs): void => {
  const w = window as unknown as ProbeWindow;
  const probe = { start: performance.now(), painted: null as number | null, what: null as 'rows' | 'empty' | null };
  w.__attestPaint = probe;
  const empty = () =>
    Array.from(document.querySelectorAll('.bp6-non-ideal-state')).some(
      (n) => n.querySelector('.bp6-spinner') === null && (n.querySelector('h4')?.textContent ?? '').includes(emptyTitle),
    );
  const watch = () => {
    const what = expect === 'rows' ? (document.querySelector(rows) ? 'rows' : null) : empty() ? 'empty' : null;
    if (what === null) {
      requestAnimationFrame(watch);
      return;
    }
    requestAnimationFrame(() => {
      probe.painted = performance.now() - probe.start;
      probe.what = what;
    });
  };
  requestAnimationFrame(watch);
};

export const readPaintProbe = (): { painted: number; what: string } | null => {
  const probe = (window as unknown as ProbeWindow).__attestPaint;
  return probe && probe.painted !== null && probe.what !== null ? { painted: probe.painted, what: probe.what } : null;
};

/**
 * Scrolls the table's scroll box from top to bottom in `frames` equal steps, one per frame
 * (as dragging the scrollbar does), then holds the end for a few frames; returns each
 * frame's duration (the difference of consecutive requestAnimationFrame timestamps).
 */
export const scrollToEndFrames = async ({ scroller, frames }: { scroller: string; frames: number }): Promise<number[]> => {
  const box = document.querySelector(scroller);
  if (!(box instanceof HTMLElement)) throw new Error(`no scroll box ${scroller}`);
  const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));
  const durations: number[] = [];
  let last = await nextFrame();
  for (let i = 1; i <= frames + 10; i++) {
    box.scrollTop = (Math.min(i, frames) / frames) * (box.scrollHeight - box.clientHeight);
    const now = await nextFrame();
    durations.push(now - last);
    last = now;
  }
  return durations;
};

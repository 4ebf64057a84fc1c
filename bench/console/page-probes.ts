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

export interface ScrollFrames {
  /** Per frame: main-thread time from the frame's start (its requestAnimationFrame timestamp) to the end of its rendering. */
  readonly work: number[];
  /** Per frame: the interval between consecutive requestAnimationFrame timestamps (paced by the begin-frame source). */
  readonly interval: number[];
}

/**
 * Scrolls the table's scroll box from top to bottom in `frames` equal steps, one per frame
 * (as dragging the scrollbar does), then holds the end for a few frames. For each frame it
 * keeps the main thread's work: from the frame's begin time (the requestAnimationFrame
 * timestamp, so a task that delayed the frame counts) to the first task after the frame's
 * style, layout and paint (a message posted from its requestAnimationFrame callback runs
 * only once the frame's rendering is done). The scroll event's handlers (the virtualizer's
 * re-render) run inside that span, before the callbacks.
 */
export const scrollToEndFrames = async ({ scroller, frames }: { scroller: string; frames: number }): Promise<ScrollFrames> => {
  const box = document.querySelector(scroller);
  if (!(box instanceof HTMLElement)) throw new Error(`no scroll box ${scroller}`);
  const channel = new MessageChannel();
  const frame = (step: () => void) =>
    new Promise<{ begin: number; work: number }>((resolve) =>
      requestAnimationFrame((begin) => {
        step();
        channel.port1.onmessage = () => resolve({ begin, work: performance.now() - begin });
        channel.port2.postMessage(null);
      }),
    );
  const work: number[] = [];
  const interval: number[] = [];
  let last = (await frame(() => {})).begin;
  for (let i = 1; i <= frames + 10; i++) {
    const top = (Math.min(i, frames) / frames) * (box.scrollHeight - box.clientHeight);
    const f = await frame(() => {
      box.scrollTop = top;
    });
    work.push(f.work);
    interval.push(f.begin - last);
    last = f.begin;
  }
  channel.port1.close();
  return { work, interval };
};

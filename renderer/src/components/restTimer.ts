/**
 * Calls `onRest` once the pokes stop for `restMs`: a drag pokes on every frame, and rests when the
 * person lets go. One timer runs per rest, not one per poke (clearing and re-arming a timer on each
 * frame of a drag is work inside the frame); when it fires early, it waits out only the remainder.
 */
export interface RestTimer {
  poke(): void;
  cancel(): void;
}

export const createRestTimer = (onRest: () => void, restMs: number, now: () => number = () => performance.now()): RestTimer => {
  let pokedAt: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    pokedAt = null;
  };
  const wake = () => {
    timer = null;
    if (pokedAt === null) return;
    const at = now();
    // A clock that went back (an injected one; performance.now does not) restarts the rest from now: one more rest, not an hour.
    if (at < pokedAt) pokedAt = at;
    const waited = at - pokedAt;
    if (waited < restMs) {
      timer = setTimeout(wake, restMs - waited);
      return;
    }
    pokedAt = null;
    onRest();
  };
  return {
    poke() {
      pokedAt = now();
      timer ??= setTimeout(wake, restMs);
    },
    cancel,
  };
};

import { describe, expect, it } from 'vitest';
import type { IpcErrorShape } from '../../../shared/ipc/contract';
import { IpcError } from '../../../shared/ipc/contract';
import { exclusiveSteps } from './coreTracking';

const store = () => {
  let state: { busy: boolean; error: IpcErrorShape | null } = { busy: false, error: null };
  const seen: boolean[] = [];
  const set = (partial: { busy?: boolean; error?: IpcErrorShape | null }) => {
    state = { ...state, ...partial };
    seen.push(state.busy);
  };
  return { get: () => state, set, seen };
};

describe('a store’s exclusive steps', () => {
  it('is busy while a step runs, refuses a second one meanwhile, and keeps a failure as { code, message } only', async () => {
    const s = store();
    const step = exclusiveSteps(s.get, s.set);
    let release = () => undefined as void;
    let ran = 0;
    const first = step(() => new Promise<void>((r) => (release = r)));
    expect(s.get().busy).toBe(true);
    await step(async () => void ran++);
    expect(ran).toBe(0);
    release();
    await first;
    expect(s.get()).toEqual({ busy: false, error: null });
    await step(async () => {
      throw new IpcError('forbidden', 'Not yours.');
    });
    expect(s.get()).toEqual({ busy: false, error: { code: 'forbidden', message: 'Not yours.' } });
    expect(Object.keys(s.get().error ?? {})).toEqual(['code', 'message']);
  });
});

/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { AuthState } from '../../../shared/ipc/contract';
import { createPersonStore, personLeft, personStoreNames, resetPersonStores } from './personStore';

/** Every renderer source (renderer/src/**, tests aside) as text, and its module, by path relative to renderer/src. */
const SOURCES = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}'], { query: '?raw', import: 'default', eager: true });
const MODULES = import.meta.glob<Record<string, unknown>>(['../**/*.ts', '!../**/*.test.ts']);
// Vite names this folder's files ./x.ts, the others ../folder/x.ts.
const rel = (key: string) => key.replace(/^\.\//, 'platform/').replace(/^\.\.\//, '');
const sources = (): string[] => Object.keys(SOURCES);
const text = (key: string): string => SOURCES[key] ?? '';
/** Stores that belong to nobody: the sign-in itself, the connection to the core and the service, and the desk's time-zone choice. */
// The service store says which service this desktop talks to: it belongs to nobody signed in, like the connection store.
const NOT_PER_PERSON = new Set(['auth/authStore.ts', 'shell/connectionStore.ts', 'connect/serviceStore.ts', 'platform/personStore.ts', 'platform/timeZoneStore.ts']);
const ZUSTAND_CREATE = /import\s*\{[^}]*\bcreate(Store)?\b[^}]*\}\s*from\s*['"]zustand(\/vanilla)?['"]/;

const signedIn = (id: string): AuthState => ({ step: 'signed_in', me: { user: { id } } }) as unknown as AuthState;

describe('per-person stores', () => {
  it('no store is made with zustand’s create outside the registry (except the sign-in, connection and service stores)', () => {
    expect(sources().length).toBeGreaterThan(50);
    const direct = sources()
      .filter((f) => !NOT_PER_PERSON.has(rel(f)))
      .filter((f) => ZUSTAND_CREATE.test(text(f)) || /from\s*['"]zustand\/vanilla['"]/.test(text(f)));
    expect(direct.map(rel)).toEqual([]);
  });

  it('every store created through createPersonStore is rebuilt on reset, fields and all', async () => {
    // Every module that creates one, found by scanning: a new store is covered without editing this test.
    const creators = sources().filter((f) => rel(f) !== 'platform/personStore.ts' && /createPersonStore\s*</.test(text(f)));
    expect(creators.length).toBeGreaterThanOrEqual(10);
    const modules = await Promise.all(creators.map((f) => MODULES[f]!()));
    const stores = modules.flatMap((m) =>
      Object.values(m).filter(
        (v): v is { getState(): Record<string, unknown>; setState(s: Record<string, unknown>): void; } =>
          typeof v === 'function' && 'getState' in v && 'setState' in v,
      ),
    );
    expect(stores).toHaveLength(creators.length);
    expect(personStoreNames()).toHaveLength(creators.length);
    const data = (state: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(state).filter(([, v]) => typeof v !== 'function')));
    const initial = stores.map((s) => data(s.getState()));
    for (const s of stores) s.setState({ ...Object.fromEntries(Object.keys(JSON.parse(data(s.getState())) as object).map((k) => [k, 'the previous person’s'])), leftOver: 1 });
    expect(stores.map((s) => data(s.getState()))).not.toEqual(initial);
    resetPersonStores();
    expect(stores.map((s) => data(s.getState()))).toEqual(initial);
  });

  it('drops what a request of the previous person brings back after the reset', async () => {
    let answer: (items: string[]) => void = () => undefined;
    const useInbox = createPersonStore<{ items: string[]; load(): Promise<void> }>('test inbox', (set) => ({
      items: [],
      async load() {
        set({ items: await new Promise<string[]>((resolve) => (answer = resolve)) });
      },
    }));
    const loading = useInbox.getState().load();
    resetPersonStores();
    answer(['waiting for your decision: grant platform_admin to A']);
    await loading;
    expect(useInbox.getState().items).toEqual([]);
    // The rebuilt store's own requests land as usual.
    const next = useInbox.getState().load();
    answer(['B’s own']);
    await next;
    expect(useInbox.getState().items).toEqual(['B’s own']);
  });

  it('a person leaves on sign-out, on a session ending and when someone else signs in; not on sign-in', () => {
    expect(personLeft(signedIn('a'), { step: 'signed_out' })).toBe(true);
    expect(personLeft(signedIn('a'), { step: 'signed_out', reason: 'Your session expired.', code: 'session_expired' })).toBe(true);
    expect(personLeft(signedIn('a'), signedIn('b'))).toBe(true);
    expect(personLeft(signedIn('a'), signedIn('a'))).toBe(false);
    expect(personLeft(null, signedIn('a'))).toBe(false);
    expect(personLeft({ step: 'signed_out' }, signedIn('a'))).toBe(false);
  });
});

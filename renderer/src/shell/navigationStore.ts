import { createPersonStore } from '../platform/personStore';
import type { SectionId } from './sectionIds';

/** A person page open over the sections; `cutOff` opens its "Cut off access" dialog at once. */
export interface OpenPerson {
  readonly userId: string;
  readonly cutOff: boolean;
}

interface NavigationStore {
  section: SectionId;
  /** Set while a person page is shown (from any view that names a person, or the command palette). */
  person: OpenPerson | null;
  go(section: SectionId): void;
  openPerson(userId: string, options?: { cutOff?: boolean }): void;
  closePerson(): void;
}

export const useNavigationStore = createPersonStore<NavigationStore>('navigation', (set) => ({
  section: 'tenants',
  person: null,
  go: (section) => set({ section, person: null }),
  openPerson: (userId, options) => set({ person: { userId, cutOff: options?.cutOff ?? false } }),
  closePerson: () => set({ person: null }),
}));

/** Opens a person's page from anywhere (PersonLink, the command palette, tests of other views). */
export const openPerson = (userId: string, options?: { cutOff?: boolean }): void => useNavigationStore.getState().openPerson(userId, options);

import { createPersonStore } from '../platform/personStore';
import type { SectionId } from './sectionIds';

interface NavigationStore {
  section: SectionId;
  go(section: SectionId): void;
}

export const useNavigationStore = createPersonStore<NavigationStore>('navigation', (set) => ({
  section: 'tenants',
  go: (section) => set({ section }),
}));

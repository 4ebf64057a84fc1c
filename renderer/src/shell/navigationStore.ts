import { create } from 'zustand';
import type { SectionId } from './sections';

interface NavigationStore {
  section: SectionId;
  go(section: SectionId): void;
}

export const useNavigationStore = create<NavigationStore>()((set) => ({
  section: 'tenants',
  go: (section) => set({ section }),
}));

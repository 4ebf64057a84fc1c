import type { PersonMatch } from '../../../shared/people/schemas';
import type { SectionId } from './sectionIds';

/** What the command palette can jump to or run. */
export type PaletteItem =
  | { kind: 'view'; id: SectionId; label: string }
  | { kind: 'person'; person: PersonMatch }
  | { kind: 'cut_off'; person: PersonMatch }
  | { kind: 'tenant'; id: string; name: string }
  | { kind: 'incident'; id: string; title: string };

export interface PaletteSources {
  readonly views: readonly { id: SectionId; label: string }[];
  readonly people: readonly PersonMatch[];
  readonly tenants: readonly { id: string; name: string }[];
  readonly incidents: readonly { id: string; title: string }[];
  /** The caller may cut people off (people.cut_off somewhere). */
  readonly canCutOff: boolean;
}

/** Most items of each kind shown at once: the palette stays one screen. */
export const PER_KIND = 8;

const matches = (text: string, query: string): boolean => text.toLocaleLowerCase().includes(query);

/**
 * The palette's items for a query, in the order shown: views, people (each with
 * its "Cut off access…" action), tenants, incidents. People come already matched
 * by the service (name or email); the rest are matched here by name or title.
 */
export const paletteItems = (query: string, s: PaletteSources): PaletteItem[] => {
  const q = query.trim().toLocaleLowerCase();
  const views = s.views.filter((v) => q === '' || matches(v.label, q)).map((v): PaletteItem => ({ kind: 'view', id: v.id, label: v.label }));
  if (q === '') return views;
  const people = s.people.slice(0, PER_KIND).flatMap((p): PaletteItem[] => [{ kind: 'person', person: p }, ...(s.canCutOff ? [{ kind: 'cut_off' as const, person: p }] : [])]);
  const tenants = s.tenants.filter((t) => matches(t.name, q)).slice(0, PER_KIND).map((t): PaletteItem => ({ kind: 'tenant', id: t.id, name: t.name }));
  const incidents = s.incidents.filter((i) => matches(i.title, q)).slice(0, PER_KIND).map((i): PaletteItem => ({ kind: 'incident', id: i.id, title: i.title }));
  return [...views, ...people, ...tenants, ...incidents];
};

export const paletteLabel = (item: PaletteItem): string => {
  switch (item.kind) {
    case 'view':
      return `Go to ${item.label}`;
    case 'person':
      return item.person.displayName || item.person.email;
    case 'cut_off':
      return `Cut off access… ${item.person.displayName || item.person.email}`;
    case 'tenant':
      return item.name;
    case 'incident':
      return item.title;
  }
};

export const paletteKey = (item: PaletteItem): string => {
  switch (item.kind) {
    case 'view':
      return `view:${item.id}`;
    case 'person':
    case 'cut_off':
      return `${item.kind}:${item.person.userId}`;
    case 'tenant':
    case 'incident':
      return `${item.kind}:${item.id}`;
  }
};

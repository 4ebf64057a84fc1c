import { Classes, Icon, MenuItem, useHotkeys, type IconName } from '@blueprintjs/core';
import { Omnibar, type ItemRenderer } from '@blueprintjs/select';
import { useEffect, useMemo, useState } from 'react';
import type { PersonMatch } from '../../../shared/people/schemas';
import { useAuthStore } from '../auth/authStore';
import { allowed } from '../auth/grants';
import { getBridge } from '../platform/platform';
import { useIncidentSelection } from '../views/incidents/incidentSelection';
import { useTenantsStore } from '../views/tenants/tenantsStore';
import { useNavigationStore } from './navigationStore';
import { paletteItems, paletteKey, paletteLabel, type PaletteItem } from './paletteModel';
import { useVisibleSections } from './sections';

const ICONS: Record<PaletteItem['kind'], IconName> = { view: 'arrow-right', person: 'person', cut_off: 'ban-circle', tenant: 'office', incident: 'flame' };
const KIND_LABELS: Record<PaletteItem['kind'], string> = { view: 'View', person: 'Person', cut_off: 'Action', tenant: 'Tenant', incident: 'Incident' };

/** People matching the query, from the service (debounced); empty below two characters or without people.read. */
const usePeopleMatches = (query: string, enabled: boolean): PersonMatch[] => {
  const [found, setFound] = useState<{ q: string; people: PersonMatch[] }>({ q: '', people: [] });
  const q = query.trim();
  const wanted = enabled && q.length >= 2;
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const timer = setTimeout(() => {
      getBridge()
        .invoke('people.search', { q })
        .then(
          (people) => live && setFound({ q, people }),
          () => live && setFound({ q, people: [] }),
        );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, wanted]);
  // Answers for an earlier query are not shown beside the new one.
  return wanted && found.q === q ? found.people : [];
};

/** Tenants and incidents the caller may see, read when the palette opens. */
const useTargets = (open: boolean, readIncidents: boolean) => {
  const [targets, setTargets] = useState<{ tenants: { id: string; name: string }[]; incidents: { id: string; title: string }[] }>({ tenants: [], incidents: [] });
  useEffect(() => {
    if (!open) return;
    let live = true;
    const bridge = getBridge();
    void Promise.all([
      bridge.invoke('tenants.list', {}).catch(() => []),
      readIncidents ? bridge.invoke('incidents.list', {}).then((r) => r.items, () => []) : Promise.resolve([]),
    ]).then(([tenants, incidents]) => {
      if (live) setTargets({ tenants: tenants.map((t) => ({ id: t.id, name: t.name })), incidents: incidents.map((i) => ({ id: i.incident.id, title: i.incident.title })) });
    });
    return () => {
      live = false;
    };
  }, [open, readIncidents]);
  return targets;
};

const run = (item: PaletteItem): void => {
  const nav = useNavigationStore.getState();
  switch (item.kind) {
    case 'view':
      return nav.go(item.id);
    case 'person':
      return nav.openPerson(item.person.userId);
    case 'cut_off':
      return nav.openPerson(item.person.userId, { cutOff: true });
    case 'tenant':
      nav.go('tenants');
      return useTenantsStore.getState().select(item.id as Parameters<ReturnType<typeof useTenantsStore.getState>['select']>[0]);
    case 'incident':
      nav.go('incidents');
      return useIncidentSelection.getState().select(item.id);
  }
};

const renderItem: ItemRenderer<PaletteItem> = (item, { handleClick, handleFocus, modifiers }) =>
  modifiers.matchesPredicate ? (
    <MenuItem
      key={paletteKey(item)}
      active={modifiers.active}
      icon={<Icon icon={ICONS[item.kind]} intent={item.kind === 'cut_off' ? 'danger' : 'none'} />}
      text={paletteLabel(item)}
      label={item.kind === 'person' || item.kind === 'cut_off' ? item.person.email : KIND_LABELS[item.kind]}
      onClick={handleClick}
      onFocus={handleFocus}
      data-testid="palette-item"
      data-kind={item.kind}
    />
  ) : null;

/** Ctrl/Cmd+K: jump to a view, person, tenant or incident, or cut a person off, by keyboard alone. */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const me = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me : null));
  const views = useVisibleSections();
  const people = usePeopleMatches(query, open && allowed(me, 'people.read', null));
  const { tenants, incidents } = useTargets(open, allowed(me, 'incidents.read', null));
  const hotkeys = useMemo(
    () => [{ combo: 'mod+k', label: 'Open the command palette', global: true, allowInInput: true, preventDefault: true, onKeyDown: () => setOpen(true) }],
    [],
  );
  useHotkeys(hotkeys);
  const items = paletteItems(query, { views, people, tenants, incidents, canCutOff: allowed(me, 'people.cut_off', null) });
  const close = () => {
    setOpen(false);
    setQuery('');
  };
  return (
    <Omnibar<PaletteItem>
      isOpen={open}
      onClose={close}
      items={items}
      query={query}
      onQueryChange={setQuery}
      itemRenderer={renderItem}
      itemsEqual={(a, b) => paletteKey(a) === paletteKey(b)}
      onItemSelect={(item) => {
        close();
        run(item);
      }}
      resetOnSelect
      noResults={<MenuItem disabled text={query.trim().length < 2 ? 'Type a view, a name, an email, a tenant or an incident' : 'Nothing found'} />}
      inputProps={{ placeholder: 'Jump to a view, person, tenant or incident…', 'aria-label': 'Command palette', 'data-testid': 'palette-input' } as never}
      overlayProps={{ className: Classes.OVERLAY_SCROLL_CONTAINER }}
    />
  );
}

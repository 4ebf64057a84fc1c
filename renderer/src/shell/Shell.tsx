import { Spinner, useHotkeys, type HotkeyConfig } from '@blueprintjs/core';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { IncidentAlertToasts } from '../views/incidents/IncidentAlertToasts';
import { AppHeader } from './AppHeader';
import { ConnectionNotice } from './ConnectionNotice';
import { useNavigationStore } from './navigationStore';
import { useVisibleSections } from './sections';
import { SideNav } from './SideNav';
import { ViewErrorBoundary } from './ViewErrorBoundary';
import { CommandPalette } from './CommandPalette';

const PersonPage = lazy(() => import('../views/people/PersonPage'));

export const Shell = () => {
  const current = useNavigationStore((s) => s.section);
  const go = useNavigationStore((s) => s.go);
  const person = useNavigationStore((s) => s.person);
  const sections = useVisibleSections();
  const section = sections.find((s) => s.id === current) ?? sections[0];

  const hotkeys = useMemo<HotkeyConfig[]>(
    () =>
      sections.map((s, index) => ({
        combo: `mod+${index + 1}`,
        label: `Open ${s.label}`,
        group: 'Navigation',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => go(s.id),
      })),
    [go, sections],
  );
  useHotkeys(hotkeys);

  useEffect(() => {
    document.title = section ? `${section.label} — Attest` : 'Attest';
  }, [section]);

  if (!section) return null;
  const View = person ? PersonPage : section.View;
  return (
    <div className="attest-app" data-testid="app-shell">
      <AppHeader />
      <SideNav />
      <IncidentAlertToasts />
      <CommandPalette />
      <main className="attest-main" aria-label={section.label}>
        <ConnectionNotice />
        <div className="attest-view" data-testid={`view-${section.id}`}>
          <ViewErrorBoundary key={person ? `person:${person.userId}` : section.id}>
            <Suspense fallback={<Spinner className="attest-view-loading" size={24} aria-label="Loading view" />}>
              <View />
            </Suspense>
          </ViewErrorBoundary>
        </div>
      </main>
    </div>
  );
};

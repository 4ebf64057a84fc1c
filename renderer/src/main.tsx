import '@blueprintjs/core/lib/css/blueprint.css';
import '@blueprintjs/select/lib/css/blueprint-select.css';
import './styles.css';
import { BlueprintProvider, Classes, FocusStyleManager } from '@blueprintjs/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startAuthTracking, useAuthStore } from './auth/authStore';
import { initPlatform } from './platform/platform';
import { personLeft, resetPersonStores } from './platform/personStore';
import { Root } from './Root';
import { TimeZoneProvider } from './platform/TimeZoneProvider';
import { startConnectionTracking } from './shell/connectionStore';
import { startServiceTracking } from './connect/serviceStore';
import { useNavigationStore } from './shell/navigationStore';
import { incidentLinkOf, useIncidentSelection } from './views/incidents/incidentSelection';

initPlatform(window);
// A link to an incident (from an alert, a chat message, a ticket) opens it once signed in.
const linked = incidentLinkOf(window.location.search);
if (linked) {
  useIncidentSelection.getState().select(linked);
  useNavigationStore.getState().go('incidents');
}
startConnectionTracking();
startAuthTracking();
startServiceTracking();

// What one person loaded is not shown to the next: when they leave, every per-person store
// (all of them: they are created through createPersonStore) starts over.
useAuthStore.subscribe((now, before) => {
  if (personLeft(before.state, now.state)) resetPersonStores();
});

// Focus rings for keyboard users only; mouse clicks stay quiet.
FocusStyleManager.onlyShowFocusOnTabs();

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const applyColorScheme = () => document.body.classList.toggle(Classes.DARK, dark.matches);
applyColorScheme();
dark.addEventListener('change', applyColorScheme);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <BlueprintProvider>
      <TimeZoneProvider>
        <Root />
      </TimeZoneProvider>
    </BlueprintProvider>
  </StrictMode>,
);

import '@blueprintjs/core/lib/css/blueprint.css';
import './styles.css';
import { BlueprintProvider, Classes, FocusStyleManager } from '@blueprintjs/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initPlatform } from './platform/platform';
import { startConnectionTracking } from './shell/connectionStore';
import { Shell } from './shell/Shell';

initPlatform(window);
startConnectionTracking();

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
      <Shell />
    </BlueprintProvider>
  </StrictMode>,
);

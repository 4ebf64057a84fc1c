import { BRIDGE_SECRET_PARAM } from '../../../shared/ipc/wire';

/**
 * Reads the browser-mode launch key from the URL fragment (`#bridge=<secret>`)
 * and removes the fragment from the address bar, so the key is neither left in
 * view nor kept in history. The caller holds it in memory only; a reload
 * therefore needs the launch URL again.
 */
export const takeBridgeSecret = (
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState' | 'state'>,
): string | null => {
  if (!location.hash.startsWith('#')) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  const secret = params.get(BRIDGE_SECRET_PARAM);
  if (secret === null) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return secret.length > 0 ? secret : null;
};

import { RENDERER_ERROR_CODES } from '../platform/ipcError';

const ADVICE: Record<string, string> = {
  service_unreachable: 'The service did not answer. Check your network and that the service is running, then retry.',
  service_unavailable: 'The service is temporarily unavailable. Retry in a moment.',
  certificate_mismatch:
    'The service’s certificate does not match the pinned fingerprint. Do not proceed; verify the fingerprint with your administrator.',
  not_signed_in: 'The console is signed out. Sign in again, then retry.',
  auth_required: 'The console is signed out. Sign in again, then retry.',
  invalid_token: 'The operator token was refused. Sign in again, then retry.',
  forbidden: 'Your role does not allow this. Ask a platform admin for access.',
  not_found: 'It no longer exists; it may have been removed. Refresh the list.',
  rate_limited: 'Too many requests. Wait a moment, then retry.',
  account_wide_action:
    'This person also works in other organisations, which this would affect too. Deactivate their membership here to end their access, or ask platform staff.',
  tenant_suspended: 'This tenant is suspended: nothing in it can be used until platform staff reinstate it. Ask them why.',
  keychain_unavailable: 'The OS keychain is not reachable. Unlock it or start your Secret Service, then retry.',
  [RENDERER_ERROR_CODES.bridgeUnavailable]: 'The console is reconnecting to its core. Retry in a moment.',
  [RENDERER_ERROR_CODES.bridgeNotAuthorised]: 'Open the console from the address printed when it was started.',
};

/** The next step for an error code, for the places that show an error to the user. */
export const adviceFor = (code: string): string =>
  ADVICE[code] ?? 'Retry. If it keeps happening, report the error code to your administrator.';

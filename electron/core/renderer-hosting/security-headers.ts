import { PRINT_STYLESHEET_SOURCE } from '../../../shared/incidents/print-stylesheet';
import { TRUST_PAGE_STYLE_SOURCE } from '../../../shared/trust-page/render-html';

/**
 * The renderer's Content-Security-Policy, the same in Electron (app://attest) and
 * in browser mode. No inline script or style: Blueprint ships plain CSS files and
 * React sets styles through the CSSOM, which style-src does not govern. The one
 * inline styles allowed, by their hashes, are the print stylesheet of incident documents
 * and the trust page's: they are shown and printed from srcdoc frames, which inherit this policy.
 */
export function rendererContentSecurityPolicy(extraConnectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${PRINT_STYLESHEET_SOURCE} ${TRUST_PAGE_STYLE_SOURCE}`,
    ['connect-src', "'self'", ...extraConnectSources].join(' '),
    "img-src 'self' data:",
    "font-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers every renderer response carries. */
export function rendererSecurityHeaders(extraConnectSources: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': rendererContentSecurityPolicy(extraConnectSources),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
  };
}

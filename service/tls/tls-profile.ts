import type { TlsOptions } from 'node:tls';

/**
 * Mozilla's "intermediate" server profile (ssl-config.mozilla.org, guideline 5.7),
 * ECDHE only: TLS 1.3, and TLS 1.2 with forward-secret AEAD suites. No CBC (LUCKY13),
 * no CCM/CCM8, no ARIA, no static RSA or finite-field DH.
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const;

export const TLS13_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as const;

/**
 * Picks the application protocol a client offered. The service speaks HTTP/1.1,
 * which answers HTTP/1.0 requests too, so a client offering only `http/1.0` is
 * served rather than refused; a client offering only protocols we do not speak
 * (h2 alone) gets the no_application_protocol alert RFC 7301 asks for.
 */
export const selectAlpn = ({ protocols }: { protocols: readonly string[] }): string | undefined =>
  ['http/1.1', 'http/1.0'].find((p) => protocols.includes(p));

export const TLS_PROFILE = {
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':'),
  ecdhCurve: 'X25519:prime256v1:secp384r1',
  // Mozilla intermediate: every suite offered is strong, so the client's preference (its hardware AES or not) wins.
  honorCipherOrder: false,
  ALPNCallback: selectAlpn,
} satisfies TlsOptions;

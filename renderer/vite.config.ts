import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { PRINT_STYLESHEET_SOURCE } from '../shared/incidents/print-stylesheet';
import { TRUST_PAGE_STYLE_SOURCE } from '../shared/trust-page/render-html';

/**
 * The production page carries its own Content-Security-Policy as well as the one
 * the Electron shell or the browser-mode server sends, so a build that would need
 * an inline script or style fails visibly wherever it is opened. Build only: the
 * dev server injects styles inline for hot reload.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // And, by their hashes, the print stylesheet of incident documents and the trust page's (srcdoc frames inherit this policy).
  `style-src 'self' ${PRINT_STYLESHEET_SOURCE} ${TRUST_PAGE_STYLE_SOURCE}`,
  // Blueprint's stylesheet draws checkboxes and selects with data: SVGs.
  "img-src 'self' data:",
  "font-src 'self'",
  // 'self' covers ws:/wss: on the same host, which the browser-mode bridge uses.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const contentSecurityPolicy = (): Plugin => ({
  name: 'attest-content-security-policy',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend',
    },
  ],
});

export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Blueprint tells a production build by a global NODE_ENV (not process.env): without it every
  // Popover warns once per instance, which is a console.warn per row of a table with a menu in each.
  define: { NODE_ENV: JSON.stringify(mode) },
  // Relative asset URLs work both from app:// in Electron and http://127.0.0.1 in browser mode.
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
    // Chromium (Electron and Debian's) supports modulepreload natively.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { host: '127.0.0.1', strictPort: false },
}));

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lookupRendererAsset } from '../core/renderer-hosting/renderer-assets';

export interface RendererServerOptions {
  rendererDir: string;
  /** host:port the page is served under; other Host headers are refused (DNS rebinding). */
  expectedHost: () => string;
  headers: () => Record<string, string>;
}

/** Serves the built renderer read-only, with the security headers on every response. */
export function createRendererRequestHandler(options: RendererServerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const plain = (status: number, text: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { ...options.headers(), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    try {
      if (req.headers.host !== options.expectedHost()) return plain(421, 'Misdirected request');
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method not allowed', { Allow: 'GET, HEAD' });
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      const found = await lookupRendererAsset(options.rendererDir, rawPath);
      if (found.kind === 'bad_request') return plain(400, 'Bad request');
      if (found.kind === 'not_found') return plain(404, 'Not found');
      const { size } = await stat(found.path);
      res.writeHead(200, {
        ...options.headers(),
        'Content-Type': found.contentType,
        'Content-Length': String(size),
        'Cache-Control': found.isIndex ? 'no-store' : 'no-cache',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(found.path)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      if (!res.headersSent) plain(500, 'Internal error');
      else res.destroy();
    }
  };
}

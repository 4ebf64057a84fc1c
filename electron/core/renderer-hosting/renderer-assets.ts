import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeFor = (path: string): string => CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

export type AssetLookup =
  | { kind: 'file'; path: string; contentType: string; isIndex: boolean }
  | { kind: 'not_found' }
  | { kind: 'bad_request' };

/**
 * Maps a URL path to a file inside the built renderer, or refuses. Decoding,
 * dot segments and symlinks can none of them lead outside `root`. Paths without
 * a file extension are client-side routes and get index.html.
 */
export async function lookupRendererAsset(root: string, urlPath: string): Promise<AssetLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad_request' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad_request' };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return { kind: 'not_found' };

  const realRoot = await realpath(root);
  const wantsIndex = segments.length === 0 || extname(segments[segments.length - 1] ?? '') === '';
  const candidate = wantsIndex ? resolve(realRoot, 'index.html') : resolve(realRoot, ...segments);
  let real: string;
  try {
    real = await realpath(candidate);
    if (!(await stat(real)).isFile()) return { kind: 'not_found' };
  } catch {
    return { kind: 'not_found' };
  }
  const inside = relative(realRoot, real);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return { kind: 'not_found' };
  return { kind: 'file', path: real, contentType: contentTypeFor(real), isIndex: wantsIndex };
}

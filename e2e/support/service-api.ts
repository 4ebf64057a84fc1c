import { createHash } from 'node:crypto';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

/**
 * Calls the service directly, as a second opinion beside the console: the test
 * trusts the answer only after checking the presented key against the pin.
 * Resolves with the status and the body as text, whatever the status.
 */
export function pinnedRequest(
  baseUrl: string,
  path: string,
  fingerprint: string,
  init: { method: 'GET' | 'POST'; token: string | null; body?: unknown; userAgent?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolveReply, reject) => {
    const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = request(new URL(path, baseUrl), {
      method: init.method,
      rejectUnauthorized: false,
      // A fresh TLS session each time: a resumed one may present no certificate to check.
      agent: false,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.userAgent ? { 'user-agent': init.userAgent } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    });
    req.on('socket', (socket) => {
      (socket as TLSSocket).once('secureConnect', () => {
        const cert = (socket as TLSSocket).getPeerX509Certificate();
        const spki = cert?.publicKey.export({ type: 'spki', format: 'der' });
        const presented = spki ? createHash('sha256').update(spki).digest('hex') : '';
        if (presented !== fingerprint) req.destroy(new Error(`pin mismatch: ${presented}`));
      });
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolveReply({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** GETs JSON from the service; anything but 200 fails the step. */
export async function getJson<T>(baseUrl: string, path: string, fingerprint: string, token: string): Promise<T> {
  const { status, text } = await pinnedRequest(baseUrl, path, fingerprint, { method: 'GET', token });
  if (status !== 200) throw new Error(`GET ${path}: ${status} ${text}`);
  return JSON.parse(text) as T;
}

/** POSTs JSON to the service; resolves with the status and the parsed body whatever the status (a spec asserts on refusals too). */
export async function postJson<T>(baseUrl: string, path: string, fingerprint: string, token: string | null, body: unknown): Promise<{ status: number; body: T }> {
  const { status, text } = await pinnedRequest(baseUrl, path, fingerprint, { method: 'POST', token, body });
  return { status, body: (text ? JSON.parse(text) : null) as T };
}

/** GETs a public address as anyone would: no token at all. Resolves with the status and the body text. */
export async function getPublic(baseUrl: string, path: string, fingerprint: string): Promise<{ status: number; text: string }> {
  return pinnedRequest(baseUrl, path, fingerprint, { method: 'GET', token: null });
}

import { createHash } from 'node:crypto';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

/**
 * Reads the service directly, as a second opinion beside the console: the test
 * trusts the answer only after checking the presented key against the pin.
 */
export function getJson<T>(baseUrl: string, path: string, fingerprint: string, token: string): Promise<T> {
  return new Promise((resolveJson, reject) => {
    const req = request(new URL(path, baseUrl), {
      method: 'GET',
      rejectUnauthorized: false,
      // A fresh TLS session each time: a resumed one may present no certificate to check.
      agent: false,
      headers: { authorization: `Bearer ${token}` },
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
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${body}`));
        else resolveJson(JSON.parse(body) as T);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * POSTs JSON to the service, pinned the same way; resolves with the status and
 * the parsed body whatever the status (a spec asserts on refusals too).
 */
export function postJson<T>(baseUrl: string, path: string, fingerprint: string, token: string | null, body: unknown): Promise<{ status: number; body: T }> {
  return new Promise((resolveJson, reject) => {
    const payload = JSON.stringify(body);
    const req = request(new URL(path, baseUrl), {
      method: 'POST',
      rejectUnauthorized: false,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: `Bearer ${token}` } : {}) },
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
      res.on('end', () => resolveJson({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

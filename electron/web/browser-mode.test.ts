import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PRINT_STYLESHEET_SOURCE } from '../../shared/incidents/print-stylesheet';
import { TRUST_PAGE_STYLE_SOURCE } from '../../shared/trust-page/render-html';
import { ServerFrameSchema, type ServerFrame } from '../../shared/ipc/wire';
import { createConsoleCore, type ConsoleCore } from '../core/console-core';
import { createMemoryVault } from '../core/vault/memory-vault';
import { startBrowserMode, type BrowserMode } from './browser-mode';
import { startRealService, type RealService } from './real-service.fixture';


interface Connection {
  ws: WebSocket;
  next(): Promise<ServerFrame>;
  closed: Promise<{ code: number; reason: string; framesBeforeClose: ServerFrame[] }>;
  send(frame: unknown): void;
}

function connect(url: string, origin: string | undefined): Connection {
  const ws = new WebSocket(url, origin === undefined ? {} : { origin });
  const frames: ServerFrame[] = [];
  const all: ServerFrame[] = [];
  const waiting: ((frame: ServerFrame) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const frame = ServerFrameSchema.parse(JSON.parse(data.toString('utf8')));
    all.push(frame);
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    next: () => {
      const queued = frames.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
    closed: new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), framesBeforeClose: all }))),
    send: (frame) => void opened.then(() => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))),
  };
}

function httpGet(port: number, path: string, options: { host?: string; method?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser mode', () => {
  let base: string;
  let service: RealService;
  let core: ConsoleCore;
  let browser: BrowserMode;
  let secret: string;
  let wsUrl: string;
  const vault = createMemoryVault();

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'attest-browser-mode-'));
    const rendererDir = join(base, 'dist');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.info("attest")');
    writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET-OUTSIDE-ROOT');

    service = await startRealService();
    core = createConsoleCore({ serviceUrl: service.url, fingerprint: service.fingerprint, vault, mode: 'browser', probeIntervalMs: 0 });
    browser = await startBrowserMode({ core, rendererDir, helloTimeoutMs: 300 });
    const url = new URL(browser.url);
    secret = new URLSearchParams(url.hash.slice(1)).get('bridge') ?? '';
    wsUrl = `ws://127.0.0.1:${browser.port}/ipc`;
  });
  afterAll(async () => {
    await browser.close();
    await core.close();
    await service.close();
    rmSync(base, { recursive: true, force: true });
  });

  const hello = async (): Promise<Connection> => {
    const c = connect(wsUrl, browser.origin);
    c.send({ type: 'hello', secret });
    await expect(c.next()).resolves.toEqual({ type: 'welcome' });
    return c;
  };
  /** The invoke's result; events pushed meanwhile (a signed-in core syncs in the background) go to `events`. */
  const invoke = async (c: Connection, id: number, channel: string, input: unknown, events: unknown[] = []) => {
    c.send({ type: 'invoke', id, channel, input });
    let frame = await c.next();
    while (!(frame.type === 'result' && frame.id === id)) {
      events.push(frame);
      frame = await c.next();
    }
    expect(frame).toMatchObject({ type: 'result', id });
    return frame.type === 'result' ? frame.result : undefined;
  };

  it('prints a 127.0.0.1 URL with a fresh 32-byte secret in the fragment, not the query', () => {
    expect(browser.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#bridge=[A-Za-z0-9_-]{43}$/);
    expect(new URL(browser.url).search).toBe('');
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('serves the renderer with strict security headers', async () => {
    const res = await httpGet(browser.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<!doctype html>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' ${PRINT_STYLESHEET_SOURCE} ${TRUST_PAGE_STYLE_SOURCE}; ` +
        `connect-src 'self' ws://127.0.0.1:${browser.port}; img-src 'self' data:; font-src 'self'; ` +
        "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    const asset = await httpGet(browser.port, '/assets/app.js');
    expect(asset).toMatchObject({ status: 200, body: 'console.info("attest")' });
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['content-security-policy']).toBeDefined();
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%2fetc%2fpasswd.txt'])(
    'refuses the traversal %s',
    async (path) => {
      const res = await httpGet(browser.port, path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('TOP-SECRET');
      expect(res.body).not.toContain('root:');
      expect(res.headers['content-security-policy']).toBeDefined();
    },
  );

  it('answers absolute-looking paths with the page at most', async () => {
    const res = await httpGet(browser.port, '//etc/passwd');
    expect(res.body).toContain('<!doctype html>');
    expect(res.body).not.toContain('root:');
  });

  it('refuses foreign Host headers and methods other than GET and HEAD', async () => {
    expect((await httpGet(browser.port, '/', { host: 'evil.example:80' })).status).toBe(421);
    const post = await httpGet(browser.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('closes a WebSocket from another origin with 4001', async () => {
    const c = connect(wsUrl, 'http://evil.example');
    c.send({ type: 'hello', secret });
    await expect(c.closed).resolves.toMatchObject({ code: 4001, framesBeforeClose: [] });
    const none = connect(wsUrl, undefined);
    await expect(none.closed).resolves.toMatchObject({ code: 4001 });
  });

  it('closes on a wrong secret with 4003', async () => {
    const c = connect(wsUrl, browser.origin);
    c.send({ type: 'hello', secret: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` });
    await expect(c.closed).resolves.toMatchObject({ code: 4003, framesBeforeClose: [] });
  });

  it('closes, without answering, on an invoke before hello', async () => {
    const c = connect(wsUrl, browser.origin);
    c.send({ type: 'invoke', id: 1, channel: 'app.info', input: {} });
    c.send({ type: 'hello', secret });
    await expect(c.closed).resolves.toMatchObject({ code: 4002, framesBeforeClose: [] });
  });

  it('closes on malformed frames and when no hello comes', async () => {
    const garbage = connect(wsUrl, browser.origin);
    garbage.send('not json');
    await expect(garbage.closed).resolves.toMatchObject({ code: 4002 });
    const silent = connect(wsUrl, browser.origin);
    await expect(silent.closed).resolves.toMatchObject({ code: 4002, reason: 'hello expected' });
  });

  it('accepts WebSockets only at /ipc', async () => {
    const elsewhere = new WebSocket(`ws://127.0.0.1:${browser.port}/other`, { origin: browser.origin });
    await expect(new Promise((resolve) => elsewhere.once('error', (e) => resolve(e.message)))).resolves.toMatch(/404/);
  });

  it('answers invokes through dispatch after hello', async () => {
    const c = await hello();
    await expect(invoke(c, 1, 'app.info', {})).resolves.toMatchObject({ ok: true, value: { mode: 'browser' } });
    await expect(invoke(c, 2, 'no.such.channel', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const invalid = await invoke(c, 3, 'tenants.get', { id: 'nope' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('id') } });
    c.ws.close();
  });

  it('pushes auth events and carries tenants once signed in, never a token', async () => {
    const c = await hello();
    await expect(invoke(c, 1, 'auth.state', {})).resolves.toEqual({ ok: true, value: { step: 'signed_out' } });
    await expect(invoke(c, 2, 'tenants.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    c.send({ type: 'invoke', id: 3, channel: 'auth.login', input: { email: service.demo.email, password: service.demo.password } });
    const frames = [await c.next(), await c.next()];
    expect(frames).toContainEqual(expect.objectContaining({ type: 'event', event: 'auth.changed', payload: expect.objectContaining({ step: 'mfa' }) }));
    const verified = await invoke(c, 4, 'auth.verify', { code: await service.code() }, frames);
    expect(verified).toMatchObject({ ok: true });
    const tenants = await invoke(c, 5, 'tenants.list', {}, frames);
    expect(frames).toContainEqual(expect.objectContaining({ type: 'event', event: 'auth.changed', payload: expect.objectContaining({ step: 'signed_in' }) }));
    expect(tenants).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ name: 'Northwind Health', region: 'eu' })]) });
    expect(JSON.stringify([frames, verified, tenants])).not.toMatch(/atst_(at|rt)_/);
    c.ws.close();
  });
});

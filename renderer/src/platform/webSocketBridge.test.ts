import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { IpcError, type ConnectionStatus } from '../../../shared/ipc/contract';
import { BRIDGE_CLOSE, ClientFrameSchema, type ServerFrame } from '../../../shared/ipc/wire';
import type { TransportState } from './transport';
import { createWebSocketBridge, type WebSocketBridge } from './webSocketBridge';

const SECRET = 'launch-secret-0123456789';

const NORTHWIND = {
  id: '5b0c7f4e-3f0a-4d55-9a4c-2a4f3e1b9c01',
  name: 'Northwind Health',
  slug: 'northwind-health',
  status: 'active',
  region: 'eu',
  plan: 'enterprise',
  createdAt: '2024-03-01T09:30:00.000Z',
};

const OFFLINE: ConnectionStatus = {
  state: 'offline',
  serviceUrl: 'https://127.0.0.1:8443',
  checkedAt: '2025-01-01T00:00:00.000Z',
  message: 'The service did not answer.',
};

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** A minimal console core speaking the wire protocol, with hooks to misbehave. */
class FakeCore {
  readonly server: WebSocketServer;
  readonly clients = new Set<ServerSocket>();
  readonly received: unknown[] = [];
  /** Answers by channel; `undefined` means "never answer". */
  answers: Record<string, (input: unknown) => Answer | undefined> = {};

  constructor() {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server.on('connection', (socket) => {
      let authenticated = false;
      this.clients.add(socket);
      socket.on('close', () => this.clients.delete(socket));
      socket.on('message', (data) => {
        const frame = ClientFrameSchema.parse(JSON.parse(String(data)));
        this.received.push(frame);
        if (frame.type === 'hello') {
          if (frame.secret !== SECRET) {
            socket.close(BRIDGE_CLOSE.badSecret, 'bad secret');
            return;
          }
          authenticated = true;
          this.send(socket, { type: 'welcome' });
          return;
        }
        if (!authenticated) {
          socket.close(BRIDGE_CLOSE.protocolError, 'hello first');
          return;
        }
        const result = this.answers[frame.channel]?.(frame.input);
        if (result) this.send(socket, { type: 'result', id: frame.id, result });
      });
    });
  }

  listening() {
    return new Promise<void>((resolve) => {
      if (this.server.address()) resolve();
      else this.server.once('listening', () => resolve());
    });
  }

  get url() {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake core is not listening on TCP');
    return `ws://127.0.0.1:${address.port}/ipc`;
  }

  send(socket: ServerSocket, frame: ServerFrame | Record<string, unknown>) {
    socket.send(JSON.stringify(frame));
  }

  broadcast(frame: ServerFrame | Record<string, unknown>) {
    for (const socket of this.clients) this.send(socket, frame);
  }

  dropAll() {
    for (const socket of this.clients) socket.terminate();
  }

  close() {
    for (const socket of this.clients) socket.terminate();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('createWebSocketBridge', () => {
  let core: FakeCore;
  let bridge: WebSocketBridge | undefined;

  const open = (secret = SECRET) => {
    bridge = createWebSocketBridge({
      url: core.url,
      secret,
      WebSocket,
      backoff: { initialMs: 10, maxMs: 40 },
      linkWaitMs: 2000,
    });
    return bridge;
  };

  beforeEach(async () => {
    core = new FakeCore();
    await core.listening();
    core.answers = {
      'tenants.list': () => ({ ok: true, value: [NORTHWIND] }),
      'tenants.get': () => ({ ok: false, error: { code: 'not_found', message: 'No tenant with that id.' } }),
      'connection.status': () => ({ ok: true, value: OFFLINE }),
    };
  });

  afterEach(async () => {
    bridge?.close();
    bridge = undefined;
    await core.close();
    vi.restoreAllMocks();
  });

  it('says hello with the secret first and is open once welcomed', async () => {
    const b = open();
    expect(b.transport.kind).toBe('connecting');
    const states: TransportState['kind'][] = [];
    b.onTransportChange((s) => states.push(s.kind));
    await until(() => b.transport.kind === 'open');
    expect(core.received[0]).toEqual({ type: 'hello', secret: SECRET });
    expect(states).toEqual(['open']);
  });

  it('carries an invoke to the core and resolves with the validated output', async () => {
    const b = open();
    // Sent before the welcome: it waits for the link, then goes out.
    const tenants = await b.invoke('tenants.list', {});
    expect(tenants).toEqual([NORTHWIND]);
    expect(core.received[1]).toMatchObject({ type: 'invoke', channel: 'tenants.list', input: {} });
  });

  it('rejects with an IpcError carrying the core’s code when the result is an error', async () => {
    const b = open();
    const call = b.invoke('tenants.get', { id: NORTHWIND.id });
    await expect(call).rejects.toBeInstanceOf(IpcError);
    await expect(call).rejects.toMatchObject({ code: 'not_found', message: 'No tenant with that id.' });
  });

  // What may leave the core is decided by its dispatch, which withholds output outside the contract
  // (electron/core/ipc/dispatch.test.ts); the bridge does not check the same answer a second time.
  it("passes the core's answer on as it came", async () => {
    const b = open();
    await expect(b.invoke('connection.status', {})).resolves.toEqual(OFFLINE);
  });

  it('delivers contract events to subscribers and drops malformed ones', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const b = open();
    const seen: ConnectionStatus[] = [];
    const unsubscribe = b.subscribe('connection.changed', (status) => seen.push(status));
    await until(() => b.transport.kind === 'open');

    core.broadcast({ type: 'event', event: 'connection.changed', payload: { state: 'nonsense' } });
    core.broadcast({ type: 'event', event: 'connection.changed', payload: OFFLINE });
    await until(() => seen.length === 1);
    expect(seen).toEqual([OFFLINE]);
    expect(warn).toHaveBeenCalledTimes(1);

    unsubscribe();
    core.broadcast({ type: 'event', event: 'connection.changed', payload: OFFLINE });
    await b.invoke('tenants.list', {}); // a round trip later, the event has certainly arrived
    expect(seen).toHaveLength(1);
  });

  it('ignores frames that are not JSON or not in the wire protocol', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const b = open();
    await until(() => b.transport.kind === 'open');
    for (const socket of core.clients) {
      socket.send('{not json');
      socket.send(JSON.stringify({ type: 'result', id: 'x' }));
    }
    expect(await b.invoke('tenants.list', {})).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('stops for good when the core refuses the secret', async () => {
    const b = open('wrong-secret');
    await until(() => b.transport.kind === 'rejected');
    expect(b.transport).toEqual({ kind: 'rejected', reason: 'bad_secret' });
    await expect(b.invoke('tenants.list', {})).rejects.toMatchObject({ code: 'bridge_not_authorised' });
  });

  it('rejects calls in flight when the link drops, then reconnects with backoff', async () => {
    const b = open();
    core.answers['tenants.get'] = () => undefined; // never answers
    await until(() => b.transport.kind === 'open');

    const inFlight = b.invoke('tenants.get', { id: NORTHWIND.id });
    await until(() => core.received.length === 2);
    const states: TransportState['kind'][] = [];
    b.onTransportChange((s) => states.push(s.kind));
    core.dropAll();

    await expect(inFlight).rejects.toMatchObject({ code: 'bridge_unavailable' });
    await until(() => b.transport.kind === 'open');
    expect(states).toEqual(['reconnecting', 'open']);
    // The new connection introduced itself again with the secret kept in memory.
    expect(core.received.filter((f) => (f as { type: string }).type === 'hello')).toHaveLength(2);
    expect(await b.invoke('tenants.list', {})).toEqual([NORTHWIND]);
  });
});

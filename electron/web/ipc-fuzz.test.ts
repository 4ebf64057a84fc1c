/**
 * Threat: hostile content in the renderer (or a page that got hold of the
 * bridge) invoking the console core with anything. Every channel of the IPC
 * contract is fuzzed with fast-check through the browser-mode WebSocket bridge
 * of a core signed in to the real service: valid-shaped inputs (which may do
 * anything the contract allows, answered with a result or a stable error code)
 * and hostile ones (wrong types, huge and control-character strings, prototype
 * keys, deep nesting), each of which must be answered `invalid_input`. The core
 * must never fail unexpectedly, never drop the bridge, and still answer after.
 * Exports land in a temporary data directory; browser mode opens no windows.
 *
 * FUZZ_CASES (default 200) cases per channel; FUZZ_SEED changes the fixed seed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ERROR_CODES } from '../../shared/errors/codes';
import { ipcChannels, type IpcChannel } from '../../shared/ipc/contract';
import { ServerFrameSchema, type ServerFrame } from '../../shared/ipc/wire';
import { corrupted, hostileJson, jsonSchemaOf, validShaped, withPrototypeKeys } from '../../service/testing/json-schema-arbitrary';
import type { ConsoleCore } from '../core/console-core';
import { createConsoleHost } from '../core/console-host';
import { createMemoryVault } from '../core/vault/memory-vault';
import { startBrowserMode, type BrowserMode } from './browser-mode';
import { startRealService, type RealService } from './real-service.fixture';

const CASES = Number(process.env.FUZZ_CASES ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 0x11_1fc);

type Result = Extract<ServerFrame, { type: 'result' }>['result'];

/** One greeted bridge connection; results are matched to invokes by id, events are skipped. */
interface Bridge {
  invokeRaw(frameText: (id: number) => string): Promise<Result>;
  readonly closed: () => { code: number; reason: string } | null;
  close(): void;
}

const openBridge = async (port: number, origin: string, secret: string): Promise<Bridge> => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc`, { origin });
  const pending = new Map<number, (r: Result) => void>();
  let closed: { code: number; reason: string } | null = null;
  let welcomed: () => void = () => undefined;
  const welcome = new Promise<void>((resolve) => (welcomed = resolve));
  ws.on('message', (data: Buffer) => {
    const frame = ServerFrameSchema.parse(JSON.parse(data.toString('utf8')));
    if (frame.type === 'welcome') welcomed();
    if (frame.type === 'result') pending.get(frame.id)?.(frame.result);
  });
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'bridge_closed', message: `closed ${code}` } });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', secret }));
  await welcome;
  let nextId = 1;
  return {
    invokeRaw: (frameText) => {
      const id = nextId++;
      if (closed) return Promise.resolve({ ok: false, error: { code: 'bridge_closed', message: 'closed' } });
      return new Promise((resolve) => {
        pending.set(id, (r) => {
          pending.delete(id);
          resolve(r);
        });
        ws.send(frameText(id));
      });
    },
    closed: () => closed,
    close: () => ws.close(),
  };
};

const invokeFrame = (channel: string, input: unknown) => (id: number) => JSON.stringify({ type: 'invoke', id, channel, input });

/** Sign-in channels run last: a valid-shaped login or a logout ends the session the other channels are fuzzed in. */
const channels = (Object.keys(ipcChannels) as IpcChannel[]).sort((x, y) => Number(x.startsWith('auth.')) - Number(y.startsWith('auth.')));

const STABLE = new Set<string>(ERROR_CODES);

/** The bridge's frame limit (browser-mode.ts): a bigger frame closes the socket with 1009, by design. */
const MAX_FRAME_BYTES = 1024 * 1024;

describe('IPC fuzzing of every channel through the browser-mode bridge', () => {
  let base: string;
  let service: RealService;
  let core: ConsoleCore;
  let browser: BrowserMode;
  let bridge: Bridge;
  let secret = '';
  let knownIds: string[] = [];
  const unexpected: string[] = [];
  const totals = { cases: 0, passed: 0, failed: 0, channels: 0 };

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'attest-ipc-fuzz-'));
    const rendererDir = join(base, 'dist');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    service = await startRealService();
    // The host, as launch.ts runs it: the Connect screen's channels are fuzzed too (a pin check waits 1 s at most).
    core = createConsoleHost({
      settings: { serviceUrl: service.url, fingerprint: service.fingerprint },
      configDir: join(base, 'data'),
      checkTimeoutMs: 1_000,
      vault: createMemoryVault(),
      mode: 'browser',
      probeIntervalMs: 0,
      alertIntervalMs: 0,
      reportUnexpected: (error, context) => unexpected.push(`${context}: ${String(error)}`),
    });
    browser = await startBrowserMode({ core, rendererDir });
    secret = new URLSearchParams(new URL(browser.url).hash.slice(1)).get('bridge') ?? '';
    bridge = await openBridge(browser.port, browser.origin, secret);
    expect(await bridge.invokeRaw(invokeFrame('auth.login', { email: service.demo.email, password: service.demo.password }))).toMatchObject({ ok: true });
    expect(await bridge.invokeRaw(invokeFrame('auth.verify', { code: await service.code() }))).toMatchObject({ ok: true, value: { step: 'signed_in' } });
    const tenants = await bridge.invokeRaw(invokeFrame('tenants.list', {}));
    if (!tenants.ok) throw new Error(`tenants.list: ${tenants.error.code}`);
    knownIds = (tenants.value as { id: string }[]).map((t) => t.id);
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(
      `ipc fuzz (seed ${SEED}, ${CASES} cases per channel): ${totals.channels} channels, ${totals.cases} cases: ${totals.passed} passed, ${totals.failed} failed\n`,
    );
    // Whatever beforeAll got to start is stopped, even if it failed half-way.
    (bridge as Bridge | undefined)?.close();
    await (browser as BrowserMode | undefined)?.close();
    await (core as ConsoleCore | undefined)?.close();
    await (service as RealService | undefined)?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it.each(channels)(
    `%s answers ${CASES} valid-shaped and hostile inputs: hostile ones invalid_input, none unexpectedly`,
    async (channel) => {
      const schema = ipcChannels[channel].input;
      const { schema: json, defs } = jsonSchemaOf(schema);
      const valid = validShaped(json, { defs, knownIds, around: new Date() });
      const input = fc.oneof(
        { weight: 4, arbitrary: valid.map((v) => ({ raw: false, value: v })) },
        { weight: 3, arbitrary: corrupted(valid).map((v) => ({ raw: false, value: v })) },
        { weight: 2, arbitrary: hostileJson().map((v) => ({ raw: false, value: v })) },
        // Prototype keys as own keys of the parsed frame (JSON.stringify of an object literal would drop them).
        { weight: 1, arbitrary: valid.map((v) => ({ raw: true, value: withPrototypeKeys(JSON.stringify(v) ?? '{}') })) },
      );
      totals.channels += 1;
      const failures: string[] = [];
      for (const c of fc.sample(input, { seed: SEED + channels.indexOf(channel), numRuns: CASES })) {
        totals.cases += 1;
        const inputText = c.raw ? String(c.value) : (JSON.stringify(c.value) ?? 'null');
        const accepted = schema.safeParse(JSON.parse(inputText)).success;
        const before = unexpected.length;
        const frame = (id: number) => `{"type":"invoke","id":${id},"channel":${JSON.stringify(channel)},"input":${inputText}}`;
        const result = await bridge.invokeRaw(frame);
        let problem: string | null = null;
        if (Buffer.byteLength(frame(0)) > MAX_FRAME_BYTES - 16) {
          // Too big for the bridge: refused by closing (1009); the page reconnects with the launch's secret.
          if (bridge.closed()?.code !== 1009) problem = `an oversized frame was not refused: ${JSON.stringify(result).slice(0, 200)}`;
          bridge = await openBridge(browser.port, browser.origin, secret);
        } else if (unexpected.length > before) problem = `failed unexpectedly: ${unexpected.slice(before).join('; ')}`;
        else if (!result.ok && !STABLE.has(result.error.code)) problem = `unstable code ${result.error.code}: ${result.error.message}`;
        else if (!result.ok && ['internal_error', 'invalid_output'].includes(result.error.code)) problem = `${result.error.code}: ${result.error.message}`;
        else if (!accepted && (result.ok || result.error.code !== 'invalid_input')) problem = `hostile input not refused: ${JSON.stringify(result).slice(0, 200)}`;
        if (problem) {
          totals.failed += 1;
          const nul = /\\u0000/.test(inputText) ? ' (input has a NUL character)' : '';
          if (failures.length < 10) failures.push(`${problem}${nul}\n    input: ${inputText.slice(0, 300)}`);
        } else {
          totals.passed += 1;
        }
      }
      expect(bridge.closed()).toBeNull();
      expect(failures).toEqual([]);
    },
    Math.max(60_000, CASES * 300),
  );

  it('still answers afterwards, on the same bridge, and still reaches the service', async () => {
    expect(bridge.closed()).toBeNull();
    expect(await bridge.invokeRaw(invokeFrame('app.info', {}))).toMatchObject({ ok: true, value: { mode: 'browser' } });
    // And through it the service, which saw every valid-shaped call.
    expect(await bridge.invokeRaw(invokeFrame('connection.retry', {}))).toMatchObject({ ok: true, value: { state: 'online' } });
    expect(unexpected).toEqual([]);
  });
});

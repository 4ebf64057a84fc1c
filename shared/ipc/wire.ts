import { z } from 'zod';
import { IpcErrorSchema } from './contract';

/**
 * Frames of the browser-mode WebSocket bridge. The first frame from the page
 * must be `hello` with the per-launch secret; nothing else is answered before it.
 */
export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), secret: z.string().min(1).max(256) }).strict(),
  z
    .object({
      type: z.literal('invoke'),
      id: z.number().int().nonnegative(),
      channel: z.string().max(100),
      input: z.unknown(),
    })
    .strict(),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome') }).strict(),
  z
    .object({
      type: z.literal('result'),
      id: z.number().int().nonnegative(),
      result: z.union([
        z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
        z.object({ ok: z.literal(false), error: IpcErrorSchema }).strict(),
      ]),
    })
    .strict(),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }).strict(),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** WebSocket close codes of the bridge (4000-4999 are application-defined). */
export const BRIDGE_CLOSE = {
  badOrigin: 4001,
  badSecret: 4003,
  protocolError: 4002,
} as const;

/** Where the browser-mode page finds its per-launch secret: the URL fragment, never sent to a server. */
export const BRIDGE_SECRET_PARAM = 'bridge';
export const BRIDGE_PATH = '/ipc';

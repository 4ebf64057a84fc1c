import type { z } from 'zod';
import { IpcError, ipcChannels, isIpcChannel, type IpcErrorShape, type IpcResult } from '../../../shared/ipc/contract';
import type { ChannelHandlers } from './handlers';

/** Entry point for every call from the renderer, whatever carried it (Electron IPC or the WebSocket bridge). */
export type Dispatch = (channel: unknown, rawInput: unknown) => Promise<IpcResult<unknown>>;

/** Where the core reports failures the renderer only sees as a generic code. */
export type UnexpectedErrorReporter = (error: unknown, context: string) => void;

export function createDispatch(handlers: ChannelHandlers, reportUnexpected: UnexpectedErrorReporter): Dispatch {
  return async (channel, rawInput) => {
    if (!isIpcChannel(channel) || !Object.prototype.hasOwnProperty.call(handlers, channel)) {
      return failure('unknown_channel', `Unknown IPC channel ${describeChannel(channel)}.`);
    }
    const contract = ipcChannels[channel];
    // Channels without input may be invoked with none at all.
    const input = contract.input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!input.success) {
      return failure('invalid_input', `Invalid input for ${channel}: ${describeIssue(input.error.issues[0])}.`);
    }
    let value: unknown;
    try {
      const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
      value = await handler(input.data);
    } catch (error) {
      if (error instanceof IpcError) return failure(error.code, error.message);
      reportUnexpected(error, channel);
      return failure('internal_error', `The console failed unexpectedly while handling ${channel}. Details are in the console's log.`);
    }
    // Belt and braces: whatever a handler returns, only what the contract declares leaves.
    const output = contract.output.safeParse(value);
    if (!output.success) {
      reportUnexpected(new Error(`${channel} output outside the contract: ${describeIssue(output.error.issues[0])}`), channel);
      return failure('invalid_output', `The console produced a ${channel} result outside its contract; it was withheld.`);
    }
    return { ok: true, value: output.data };
  };
}

const failure = (code: string, message: string): { ok: false; error: IpcErrorShape } => ({ ok: false, error: { code, message } });

const describeChannel = (channel: unknown): string =>
  typeof channel === 'string' ? JSON.stringify(channel.slice(0, 100)) : `(a ${channel === null ? 'null' : typeof channel}, not a name)`;

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    const at = issue.path.length > 0 ? ` in ${issue.path.join('.')}` : '';
    return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${keys}${at}`;
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
  return `${field}: ${issue.message}`;
}

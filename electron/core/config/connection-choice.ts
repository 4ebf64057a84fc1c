import { open } from 'node:fs/promises';
import {
  MAX_CONNECTION_BYTES,
  parseConnectionFields,
  parseConnectionText,
  type ConnectionTarget,
} from '../../../shared/connection/connection-file';
import type { ServiceChoice } from '../../../shared/ipc/service-connection';
import { CoreError, describeCause } from '../core-error';

/** The service the person chose, checked like a connection file; connection_* errors say what is wrong. */
export function readConnectionChoice(choice: ServiceChoice): ConnectionTarget {
  const parsed = 'text' in choice ? parseConnectionText(choice.text) : parseConnectionFields(choice);
  if (!parsed.ok) throw new CoreError(parsed.code, parsed.message);
  return parsed.target;
}

/** A picked connection file's text; never reads more than a connection file can hold. */
export async function readConnectionFileAt(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CoreError('connection_unreadable', `Cannot open that file (${describeCause(error)}). Choose the connection file your administrator gave you.`);
  }
  try {
    const buffer = Buffer.alloc(MAX_CONNECTION_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_CONNECTION_BYTES) {
      throw new CoreError('connection_too_large', `That file is larger than a connection file can be (${MAX_CONNECTION_BYTES / 1024} KiB at most). Choose the connection file your administrator gave you.`);
    }
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('connection_unreadable', `Cannot read that file (${describeCause(error)}). Choose the connection file your administrator gave you.`);
  } finally {
    await handle.close();
  }
}

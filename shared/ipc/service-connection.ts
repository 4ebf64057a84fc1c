import { z } from 'zod';
import { ConnectionLabelSchema, MAX_CONNECTION_BYTES } from '../connection/connection-file';
import { RegionSchema } from '../tenants/tenant';

/**
 * Channels of the Connect screen. They are answered by the console host, which works
 * with no service configured; every other channel needs a connected service.
 */
const NoInput = z.object({}).strict();

/** A service the core reached with the pin given: what it pinned, for the person to see before saving. */
export const PinnedServiceSchema = z
  .object({
    serviceUrl: z.string(),
    /** host:port, as people read it. */
    host: z.string(),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    label: z.string().optional(),
    region: z.string().optional(),
  })
  .strict();
export type PinnedService = z.infer<typeof PinnedServiceSchema>;

export const ServiceSetupSchema = z.discriminatedUnion('configured', [
  z.object({ configured: z.literal(false) }).strict(),
  z.object({ configured: z.literal(true), service: PinnedServiceSchema }).strict(),
]);
export type ServiceSetup = z.infer<typeof ServiceSetupSchema>;

/**
 * What the person gave: a pasted link (or a connection file's text, read in the page), or
 * the URL and fingerprint typed. Shapes only here: the core parses and checks them, and
 * says what is wrong with a stable code (connection_*).
 */
export const ServiceChoiceSchema = z.union([
  z.object({ text: z.string().max(MAX_CONNECTION_BYTES * 2) }).strict(),
  z
    .object({
      serviceUrl: z.string().max(2048),
      fingerprint: z.string().max(200),
      label: ConnectionLabelSchema.optional(),
      region: RegionSchema.optional(),
    })
    .strict(),
]);
export type ServiceChoice = z.infer<typeof ServiceChoiceSchema>;

export const serviceConnectionChannels = {
  /** The service this console is connected to, if any. */
  'service.current': { input: NoInput, output: ServiceSetupSchema },
  /** Connects and checks the pin; saves nothing. */
  'service.check': { input: ServiceChoiceSchema, output: PinnedServiceSchema },
  /**
   * Electron: a file picked in the main process, read, parsed and checked like service.check;
   * null when the person cancelled. Browser mode: not_available (the page reads the file and sends its text).
   */
  'service.openFile': { input: NoInput, output: PinnedServiceSchema.nullable() },
  /**
   * Checks again, saves, and runs the console against that service (the page then reloads).
   * unsynced_edits while the person signed in has offline edits not yet synced, unless leaveUnsynced:
   * they stay with that service's offline copy, never go to another one.
   */
  'service.connect': {
    input: z.object({ choice: ServiceChoiceSchema, leaveUnsynced: z.boolean().default(false) }).strict(),
    output: ServiceSetupSchema,
  },
} as const;

export type ServiceConnectionChannel = keyof typeof serviceConnectionChannels;
export const isServiceConnectionChannel = (name: unknown): name is ServiceConnectionChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(serviceConnectionChannels, name);



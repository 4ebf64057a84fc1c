import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Endpoint } from '../../shared/api/endpoints';
import type { Db } from '../db/db';
import type { Principal } from '../auth/principal';
import type { KeyRing } from '../crypto/key-ring';
import type { PasswordHasher } from '../identity/passwords';
import type { TreeHeadSigning } from '../audit/tree-heads';

/** What a schema parses to; `undefined` where the endpoint declares none (z.ZodNever). */
type Parsed<S> = S extends z.ZodType ? ([z.output<S>] extends [never] ? undefined : z.output<S>) : undefined;

export interface RequestContext<E extends Endpoint> {
  readonly params: Parsed<NonNullable<E['params']>>;
  readonly query: Parsed<NonNullable<E['query']>>;
  readonly body: Parsed<NonNullable<E['body']>>;
  readonly requestId: string;
  /** Set on every endpoint whose permission is not 'public' (the route table refuses the request otherwise). */
  readonly principal: Principal | null;
  /** The client's address as the socket sees it (no proxy headers are trusted). */
  readonly ip: string;
  readonly userAgent: string | null;
  readonly log: FastifyBaseLogger;
}

/** What a handler of a streamed endpoint returns: the body is pulled as the client reads (constant memory). */
export interface StreamedReply {
  readonly contentType: string;
  /** Offered as the attachment's file name (Content-Disposition). */
  readonly filename: string;
  readonly body: AsyncIterable<string>;
}

/** What a handler of a document endpoint returns: the stored text as it is served. */
export interface DocumentReply {
  readonly contentType: string;
  readonly body: string;
  /** The document's own policy (an HTML page's), sent instead of the API's. */
  readonly contentSecurityPolicy?: string;
}

export type Handler<E extends Endpoint> = (
  ctx: RequestContext<E>,
) => Promise<
  [NonNullable<E['stream']>] extends [never] ? ([NonNullable<E['document']>] extends [never] ? z.input<E['response']> : DocumentReply) : StreamedReply
>;

/** One handler per declared endpoint: no more, no fewer (checked by the type and again at registration). */
export type HandlerTable<T extends Readonly<Record<string, Endpoint>>> = { readonly [K in keyof T]: Handler<T[K]> };

/** What handlers are built from. */
export interface HandlerDeps {
  readonly db: Db;
  readonly now: () => Date;
  readonly version: string;
  readonly openapi: Record<string, unknown>;
  /** Seals TOTP secrets at rest. */
  readonly keys: KeyRing;
  readonly hasher: PasswordHasher;
  /** Signs audit tree heads (and published trust pages' snapshots). */
  readonly audit: TreeHeadSigning;
  /** What the listener serves: its TLS minimum (null: plain HTTP) and the HSTS max-age sent; the posture reads it. */
  readonly transport: TransportFacts;
}

export interface TransportFacts {
  readonly tls: { readonly minVersion: string } | null;
  readonly hstsMaxAgeSeconds: number | null;
}

/**
 * The evidence a published trust page embeds, machine-readable: the snapshot it was
 * rendered from, the service's Ed25519 signature over it, and the proof that the
 * snapshot's audit event is in the log under a signed tree head. Isomorphic (no
 * Node APIs): the CLI and the console's main process verify with the same code.
 */
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { AuditEventSchema } from '../audit/event';
import { InclusionProofSchema } from '../audit/api';
import { KeyIdSchema, SignedTreeHeadSchema } from '../audit/tree-head';
import { PostureSnapshotSchema } from '../posture/api';
import { SlugSchema } from '../tenants/slug';

/**
 * The platform's trust page lives at /trust/_platform. A tenant slug cannot start
 * with "_" (SLUG_RULES, and the CHECK of migration 0018), so no tenant can take it.
 */
export const PLATFORM_TRUST_SLUG = '_platform';
/** The name the platform's page is headed with. */
export const PLATFORM_TRUST_NAME = 'Attest service';

export const TrustSlugSchema = z.union([SlugSchema, z.literal(PLATFORM_TRUST_SLUG)]);

/** Whose page it is, as printed in its heading. Signed with the snapshot, so a page cannot be re-labelled. */
export const TrustPageSubjectSchema = z
  .object({
    name: z.string().min(1).max(200),
    slug: TrustSlugSchema,
  })
  .strict();
export type TrustPageSubject = z.infer<typeof TrustPageSubjectSchema>;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);

export const TRUST_BUNDLE_FORMAT = 'attest.trust-page.bundle.v1' as const;

export const TrustPageBundleSchema = z
  .object({
    format: z.literal(TRUST_BUNDLE_FORMAT),
    subject: TrustPageSubjectSchema,
    snapshot: PostureSnapshotSchema,
    /** Ed25519 over trustSnapshotMessage({subject, snapshot}), by the service's audit signing key. */
    signature: z
      .object({
        keyId: KeyIdSchema,
        algorithm: z.literal('Ed25519'),
        /** Raw 32-byte public key, base64 (pin it with --key to not trust the page's own word for it). */
        publicKey: Base64,
        value: Base64,
      })
      .strict(),
    /** A signed tree head of the snapshot's log whose tree contains the event. */
    treeHead: SignedTreeHeadSchema,
    /** The `posture.snapshot` event (personal part left out: its commitment is in the leaf). */
    event: AuditEventSchema,
    /** The event's inclusion proof under `treeHead`. */
    proof: InclusionProofSchema,
  })
  .strict()
  .meta({ id: 'TrustPageBundle' });
export type TrustPageBundle = z.infer<typeof TrustPageBundleSchema>;

const utf8 = new TextEncoder();

/** The bytes signed: a domain tag line, then RFC 8785 JSON of the subject and the snapshot. */
export const trustSnapshotMessage = (content: Pick<TrustPageBundle, 'subject' | 'snapshot'>): Uint8Array =>
  utf8.encode('attest.trust-page.snapshot.v1\n' + (canonicalize({ subject: content.subject, snapshot: content.snapshot }) ?? ''));

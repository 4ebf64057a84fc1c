import type { TrustPagePublication } from '../../shared/trust-page/api';
import { PLATFORM_TRUST_SLUG } from '../../shared/trust-page/bundle';
import { scopeTenantId, type PlatformTx, type ScopedTx } from '../db/db';

interface PublicationRow extends Record<string, unknown> {
  id: string;
  published_at: Date | string;
  snapshot_id: string;
  sha256: string;
  tree_size: string | number;
}

export interface StoredPage {
  readonly html: string;
  readonly markdown: string;
  readonly bundle: string;
}

export const trustPagePath = (slug: string): string => `/trust/${slug}`;

const toPublication = (slug: string, r: PublicationRow): TrustPagePublication => ({
  id: r.id,
  publishedAt: new Date(r.published_at).toISOString(),
  path: trustPagePath(slug),
  snapshotId: r.snapshot_id,
  sha256: r.sha256,
  treeSize: Number(r.tree_size),
});

export const insertPublication = async (
  tx: ScopedTx,
  slug: string,
  p: { id: string; publishedAt: Date; snapshotId: string; sha256: string; treeSize: number } & StoredPage,
): Promise<TrustPagePublication> => {
  const [row] = await tx.query<PublicationRow>(
    `INSERT INTO trust_page_publications (tenant_id, id, published_at, snapshot_id, sha256, tree_size, bundle, html, markdown)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, published_at, snapshot_id, sha256, tree_size`,
    [scopeTenantId(tx), p.id, p.publishedAt.toISOString(), p.snapshotId, p.sha256, p.treeSize, p.bundle, p.html, p.markdown],
  );
  if (!row) throw new Error('the trust page publication was not stored');
  return toPublication(slug, row);
};

export const listPublications = async (tx: ScopedTx, slug: string, limit: number): Promise<TrustPagePublication[]> =>
  (
    await tx.query<PublicationRow>(
      'SELECT id, published_at, snapshot_id, sha256, tree_size FROM trust_page_publications WHERE tenant_id = $1 ORDER BY tree_size DESC, published_at DESC LIMIT $2',
      [scopeTenantId(tx), limit],
    )
  ).map((r) => toPublication(slug, r));

/**
 * The page served now: the last one published, by its place in the log (the tree its
 * proof is under only grows), not by its time: a clock set back cannot bring an older page back.
 */
export const latestPage = async (tx: ScopedTx): Promise<StoredPage | null> => {
  const [row] = await tx.query<{ html: string; markdown: string; bundle: string }>(
    'SELECT html, markdown, bundle FROM trust_page_publications WHERE tenant_id = $1 ORDER BY tree_size DESC, published_at DESC LIMIT 1',
    [scopeTenantId(tx)],
  );
  return row ?? null;
};

/**
 * The tenant a public slug names: the only query that reads across tenants, in the
 * platform scope, and it returns nothing but the id of an active tenant. The page
 * itself is then read in that tenant's own scope. The platform's slug names the nil id.
 */
export const activeTenantIdBySlug = async (tx: PlatformTx, slug: string, platformId: string): Promise<string | null> => {
  if (slug === PLATFORM_TRUST_SLUG) return platformId;
  const [row] = await tx.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1 AND status = 'active'", [slug]);
  return row?.id ?? null;
};

import type { ControlStatus } from '../posture/control';
import type { Posture, PostureSnapshot } from '../posture/api';
import { TrustPageBundleSchema } from './bundle';
import { sentencesOf } from './model';
import { parseTrustPageFile, TrustPageParseError } from './parse';

export interface SentenceChange {
  readonly controlId: string;
  readonly title: string;
  readonly section: string;
  /** added: the control says something now and said nothing before; removed: the reverse; changed: what it says or its status changed. */
  readonly kind: 'added' | 'removed' | 'changed';
  readonly statusBefore: ControlStatus | null;
  readonly statusAfter: ControlStatus | null;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface TrustPageDiff {
  readonly before: { readonly evaluatedAt: string; readonly snapshotId: string | null };
  readonly after: { readonly evaluatedAt: string; readonly snapshotId: string | null };
  /** In catalogue order of the later posture (controls only in the earlier one last). */
  readonly changes: readonly SentenceChange[];
}

/** Sentence by sentence, per control: what a reader of the page would see change between two evaluations. */
export const diffPostures = (a: Posture, b: Posture, ids: { before?: string | null; after?: string | null } = {}): TrustPageDiff => {
  const beforeById = new Map(a.controls.map((c) => [c.id, c]));
  const ordered = [...b.controls, ...a.controls.filter((c) => !b.controls.some((x) => x.id === c.id))];
  const changes: SentenceChange[] = [];
  for (const control of ordered) {
    const old = beforeById.get(control.id);
    const now = b.controls.find((c) => c.id === control.id);
    const before = old ? sentencesOf(old).map((s) => s.text) : [];
    const after = now ? sentencesOf(now).map((s) => s.text) : [];
    const statusBefore = old?.status ?? null;
    const statusAfter = now?.status ?? null;
    const same = before.length === after.length && before.every((t, i) => t === after[i]) && statusBefore === statusAfter;
    if (same) continue;
    const kind = before.length === 0 && after.length > 0 ? 'added' : after.length === 0 && before.length > 0 ? 'removed' : 'changed';
    changes.push({ controlId: control.id, title: control.title, section: control.section, kind, statusBefore, statusAfter, before, after });
  }
  return {
    before: { evaluatedAt: a.evaluatedAt, snapshotId: ids.before ?? null },
    after: { evaluatedAt: b.evaluatedAt, snapshotId: ids.after ?? null },
    changes,
  };
};

/** Two stored snapshots (GET …/posture/snapshots), earlier first. */
export const diffSnapshots = (a: PostureSnapshot, b: PostureSnapshot): TrustPageDiff => diffPostures(a.posture, b.posture, { before: a.id, after: b.id });

/** The signed snapshot a page (HTML or Markdown) or a snapshot.json bundle carries. Throws TrustPageParseError. */
const snapshotOf = (text: string) => {
  const parsed = parseTrustPageFile(text);
  if (parsed.evidenceJson === null) throw new TrustPageParseError('the page embeds no snapshot (a preview): diff published pages or their snapshot.json');
  let json: unknown;
  try {
    json = JSON.parse(parsed.evidenceJson);
  } catch {
    throw new TrustPageParseError('the embedded evidence is not JSON');
  }
  const bundle = TrustPageBundleSchema.safeParse(json);
  if (!bundle.success) throw new TrustPageParseError('the embedded evidence is not an Attest trust page bundle');
  return bundle.data.snapshot;
};

/**
 * What changed between two pages (or snapshot.json bundles), read from the snapshots
 * they embed. It does not verify them: run verifyTrustPage first to trust the result.
 */
export const diffTrustPages = (a: string, b: string): TrustPageDiff => {
  const before = snapshotOf(a);
  const after = snapshotOf(b);
  return diffPostures(before.posture, after.posture, { before: before.id, after: after.id });
};

/** The diff as lines for a terminal. */
export const formatTrustPageDiff = (diff: TrustPageDiff): string => {
  const lines = [`From ${diff.before.evaluatedAt} (${diff.before.snapshotId ?? 'unsaved'}) to ${diff.after.evaluatedAt} (${diff.after.snapshotId ?? 'unsaved'}):`];
  if (diff.changes.length === 0) lines.push('  no sentence changed.');
  for (const c of diff.changes) {
    const status = c.statusBefore === c.statusAfter ? (c.statusAfter ?? '') : `${c.statusBefore ?? 'absent'} -> ${c.statusAfter ?? 'absent'}`;
    lines.push(`${c.kind} ${c.controlId} (${c.section}) ${status}`);
    for (const t of c.before) if (!c.after.includes(t)) lines.push(`  - ${t}`);
    for (const t of c.after) if (!c.before.includes(t)) lines.push(`  + ${t}`);
  }
  return lines.join('\n') + '\n';
};

import type { ControlResult, Posture } from '../posture/api';
import { CONTROLS } from '../posture/catalogue';
import { renderSentence, TRUST_SECTIONS, type TrustSection } from '../posture/control';
import type { TrustPageSubject } from './bundle';
import { oneLine } from './escape';
import { genericStatement, HONEST_STATEMENTS } from './statements';

/** claim: the promise of a passing control; statement: what a warning or failing control lacks; remediation: its plan (or that it has none). */
export type SentenceKind = 'claim' | 'statement' | 'remediation';

export interface TrustSentence {
  readonly controlId: string;
  readonly kind: SentenceKind;
  readonly text: string;
}

export interface TrustPageSection {
  readonly title: TrustSection;
  readonly sentences: readonly TrustSentence[];
}

/** What a trust page says, before it is HTML or Markdown. */
export interface TrustPageModel {
  readonly subject: TrustPageSubject;
  /** A preview is neither signed nor anchored nor published, and says so. */
  readonly preview: boolean;
  readonly evaluatedAt: string;
  readonly catalogueVersion: number;
  readonly snapshotId: string | null;
  readonly sha256: string | null;
  readonly sections: readonly TrustPageSection[];
}

const SENTENCE_TEMPLATES = new Map<string, string>(CONTROLS.map((c) => [c.id, c.sentence]));

/** The plan, never its owner (a person): only that there is one. */
const remediationSentence = (control: ControlResult): string => {
  const plan = control.remediation;
  if (!plan) return 'No remediation plan.';
  const compensating = oneLine(plan.compensatingControls).replace(/[.\s]+$/, '') || 'none stated';
  return `A remediation plan is kept with an owner; target ${plan.targetDate}${plan.overdue ? ' (overdue)' : ''}; compensating controls: ${compensating}.`;
};

/** The sentences a control backs: nothing when not applicable or when a claim cannot be filled from its evidence. */
export const sentencesOf = (control: ControlResult): TrustSentence[] => {
  const template = SENTENCE_TEMPLATES.get(control.id);
  if (control.status === 'not_applicable' || template === undefined) return [];
  if (control.status === 'pass') {
    const text = renderSentence(template, control.evidence);
    return text === null ? [] : [{ controlId: control.id, kind: 'claim', text }];
  }
  const honest = HONEST_STATEMENTS[control.id as keyof typeof HONEST_STATEMENTS];
  const statusTemplate = control.status === 'warn' ? (honest?.warn ?? honest?.fail) : honest?.fail;
  const statement = (statusTemplate && renderSentence(statusTemplate, control.evidence)) ?? genericStatement(control.title, control.status);
  return [
    { controlId: control.id, kind: 'statement', text: statement },
    { controlId: control.id, kind: 'remediation', text: remediationSentence(control) },
  ];
};

/** The page of a posture: sections in TRUST_SECTIONS order, each control's sentences in catalogue order; empty sections left out. */
export const buildTrustPageModel = (input: {
  subject: TrustPageSubject;
  posture: Posture;
  snapshot?: { id: string; sha256: string } | null;
}): TrustPageModel => {
  const sections = TRUST_SECTIONS.map((title) => ({
    title,
    sentences: input.posture.controls.filter((c) => c.section === title).flatMap(sentencesOf),
  })).filter((s) => s.sentences.length > 0);
  return {
    subject: input.subject,
    preview: !input.snapshot,
    evaluatedAt: input.posture.evaluatedAt,
    catalogueVersion: input.posture.catalogueVersion,
    snapshotId: input.snapshot?.id ?? null,
    sha256: input.snapshot?.sha256 ?? null,
    sections,
  };
};

/** Every sentence of the page in order. */
export const allSentences = (model: TrustPageModel): TrustSentence[] => model.sections.flatMap((s) => s.sentences);

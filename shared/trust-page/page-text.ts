import type { TrustPageModel } from './model';

/** The words around the sentences, shared by both formats so they read the same. */
export const headingOf = (model: TrustPageModel): string => `${model.subject.name}: security and trust`;

export const PREVIEW_NOTICE =
  'Preview: this page is not signed, not anchored in the audit log and not published. It cannot be verified; publish it to make a verifiable page.';

export const aboutOf = (model: TrustPageModel): string =>
  `Every sentence below is generated from a control Attest runs on live evidence, evaluated at ${model.evaluatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC` +
  ` (catalogue version ${model.catalogueVersion}${model.snapshotId ? `, snapshot ${model.snapshotId}` : ''}).` +
  ' A control that does not pass is stated as it is, with its remediation plan; nothing is printed that no control backs.';

export const VERIFY_NOTE =
  'This page embeds the signed snapshot it was generated from and the proof that the snapshot is in the audit log. Check it offline with: npm run -s service -- trust-page verify FILE [--key PUBLIC_KEY_PEM]';

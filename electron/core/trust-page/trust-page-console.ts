import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { TrustPageBundleExportSchema, TrustPageVerifyInputSchema, TrustPageVerifyResult } from '../../../shared/ipc/trust-page';
import { TRUST_PAGE_FILE_MAX_CHARS } from '../../../shared/ipc/trust-page';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import type { TrustPagePreview, TrustPagePublication } from '../../../shared/trust-page/api';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError, describeCause } from '../core-error';
import type { PdfPrinter } from '../documents/pdf-printer';
import { createTrustPageExport, type TrustPageExport } from './trust-page-export';
import { verifyPageText } from './verify-file';

/** Asks the user for a file to open (a dialog in Electron); null when they cancel. */
export type ChooseOpenPath = () => Promise<string | null>;

export interface TrustPageConsole {
  preview(tenantId: string): Promise<TrustPagePreview>;
  publications(tenantId: string): Promise<TrustPagePublication[]>;
  publish(tenantId: string): Promise<TrustPagePublication>;
  verify(input: z.output<typeof TrustPageVerifyInputSchema>): Promise<TrustPageVerifyResult>;
  exportBundle(tenantId: string): Promise<z.output<typeof TrustPageBundleExportSchema>>;
  /** The previewed or the latest published page as Markdown or PDF. */
  exportPage: TrustPageExport;
}

export interface TrustPageConsoleOptions {
  client: Pick<ServiceClient, 'call'>;
  chooseExportPath: ChooseExportPath;
  /** Absent in browser mode: the page hands the file's text over instead. */
  chooseOpenPath?: ChooseOpenPath;
  /** Absent in browser mode: the page prints the HTML a PDF export returns. */
  pdfPrinter?: PdfPrinter | undefined;
}

const slugOf = (publication: TrustPagePublication): string => decodeURIComponent(publication.path.replace(/^\/trust\//, '').split('/')[0] ?? '');

async function readPage(path: string): Promise<string> {
  try {
    if ((await stat(path)).size > TRUST_PAGE_FILE_MAX_CHARS * 4) throw new CoreError('invalid_input', `${basename(path)} is too large to be a trust page.`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('internal_error', `${basename(path)} could not be read (${describeCause(error)}). Check the file and try again.`, { cause: error });
  }
}

export function createTrustPageConsole({ client, chooseExportPath, chooseOpenPath, pdfPrinter }: TrustPageConsoleOptions): TrustPageConsole {
  // The service's keys pin the check; offline, the page's own key is used and the result says so.
  const serviceKeys = () => client.call('auditKeys').then((r) => r.items, () => null);
  const publications = async (tenantId: string) => (await client.call('listTrustPagePublications', { params: { tenantId }, query: { limit: 50 } })).items;
  return {
    preview: (tenantId) => client.call('previewTrustPage', { params: { tenantId }, body: { format: 'html' } }),
    publications,
    publish: (tenantId) => client.call('publishTrustPage', { params: { tenantId } }),
    exportPage: createTrustPageExport({ client, chooseExportPath, pdfPrinter, publications, serviceKeys }),
    async verify(input) {
      let file: string;
      let text: string;
      if (input.source === 'text') {
        file = input.name;
        text = input.text;
      } else {
        if (!chooseOpenPath) throw new CoreError('invalid_input', 'This console has no file dialog here: choose the file in the page instead.');
        const path = await chooseOpenPath();
        if (path === null) return { state: 'cancelled' };
        file = basename(path);
        text = await readPage(path);
      }
      return verifyPageText(file, text, await serviceKeys());
    },
    async exportBundle(tenantId) {
      const [latest] = await publications(tenantId);
      if (!latest) throw new CoreError('not_found', 'Nothing is published yet: publish the trust page first, then save its signed snapshot.');
      const slug = slugOf(latest);
      const bundle = await client.call('publicTrustPageBundle', { params: { tenantSlug: slug } });
      const path = await chooseExportPath(`trust-page-${slug}-${latest.publishedAt.slice(0, 10)}.snapshot.json`);
      if (path === null) return { state: 'cancelled' };
      const json = JSON.stringify(bundle, null, 2) + '\n';
      try {
        await replaceFileDurably(path, json);
      } catch (error) {
        throw new CoreError('internal_error', `The bundle could not be written to ${path} (${describeCause(error)}). Pick another folder and try again.`, { cause: error });
      }
      return { state: 'saved', path, bytes: Buffer.byteLength(json), publishedAt: latest.publishedAt };
    },
  };
}

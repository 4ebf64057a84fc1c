import { Button, Callout, Menu, MenuDivider, MenuItem, PopoverNext } from '@blueprintjs/core';
import { DocumentIcon, ExportIcon, PrintIcon } from '@blueprintjs/icons';
import { DateTime } from '../../components/DateTime';
import { PrintPreview } from '../incidents/PrintPreview';
import { useTrustPageStore } from './trustPageStore';

type Page = 'preview' | 'published';

/** "Save as PDF" and "Save as Markdown" for the previewed page and the latest published one (with its signed evidence). */
export const TrustPageSaveMenu = ({ published }: { published: boolean }) => {
  const { exporting, exportPage, donePrinting } = useTrustPageStore();
  const item = (page: Page, format: 'markdown' | 'pdf') => (
    <MenuItem
      icon={format === 'pdf' ? <PrintIcon /> : <DocumentIcon />}
      text={format === 'pdf' ? 'Save as PDF…' : 'Save as Markdown…'}
      disabled={page === 'published' && !published}
      onClick={() => void exportPage(page, format)}
      data-testid={`trust-save-${page}-${format}`}
    />
  );
  const menu = (
    <Menu data-testid="trust-save-menu">
      <MenuDivider title="Preview (not signed)" />
      {item('preview', 'pdf')}
      {item('preview', 'markdown')}
      <MenuDivider title={published ? 'Latest published page (with its evidence)' : 'Published page: publish first'} />
      {item('published', 'pdf')}
      {item('published', 'markdown')}
    </Menu>
  );
  const result = exporting.result;
  return (
    <>
      <PopoverNext content={menu} placement="bottom-start">
        <Button size="small" icon={<ExportIcon />} endIcon="caret-down" text="Save page" loading={exporting.running} data-testid="trust-save-page" />
      </PopoverNext>
      {result?.format === 'pdf' && result.printHtml !== null && <PrintPreview html={result.printHtml} filename={result.filename} onClose={donePrinting} />}
    </>
  );
};

/** Where the page went, and which one it was (browser mode's PDF shows its print preview instead). */
export const TrustPageSaved = () => {
  const result = useTrustPageStore((s) => s.exporting.result);
  if (!result || (result.format === 'pdf' && result.printHtml !== null)) return null;
  const what = result.page === 'published' ? 'Published page of' : 'Preview of';
  return (
    <Callout compact intent={result.saved ? 'success' : 'none'} data-testid="trust-page-saved" data-page={result.page} data-format={result.format}>
      {result.saved ? (
        <>
          {what} <DateTime value={result.asOf} /> saved as {result.format === 'pdf' ? 'PDF' : 'Markdown'} to <code>{result.path ?? result.filename}</code>
          {result.page === 'published' && result.format === 'markdown' ? ', with its signed evidence: it verifies.' : '.'}
        </>
      ) : (
        'Saving cancelled: nothing was written.'
      )}
    </Callout>
  );
};

import { Button, Classes, Tag } from '@blueprintjs/core';
import { DownloadIcon } from '@blueprintjs/icons';
import { useState } from 'react';
import type { IpcErrorShape } from '../../../shared/ipc/contract';
import type { TableExportInput, TableExportResult } from '../../../shared/ipc/tables';
import { toErrorShape } from '../platform/ipcError';
import { getBridge } from '../platform/platform';
import { csvExportInput, type CsvColumn } from './csvExport';

interface ExportCsvButtonProps<T> {
  table: TableExportInput['table'];
  /** What the rows are of (a tenant's name), for the file name. */
  scope?: string;
  columns: readonly CsvColumn<T>[];
  /** The rows the table shows, filtered as shown; a view that pages fetches every page here. */
  rows(): readonly T[] | Promise<readonly T[]>;
  /** What the export covers, said beside the result ("all 5,003", "the 500 shown"). */
  describe?(count: number): string;
  testId: string;
  disabled?: boolean;
}

// The file's name first (the toolbar may cut the rest), its folder after; the whole path on hover.
const cut = (path: string | null): number => Math.max(path?.lastIndexOf('/') ?? -1, path?.lastIndexOf('\\') ?? -1);
const fileName = (path: string | null): string => (path ?? '').slice(cut(path) + 1);
const folderOf = (path: string | null): string => (path ?? '').slice(0, Math.max(cut(path), 0));

type State = { running: boolean; result?: TableExportResult; error?: IpcErrorShape };

/** Exports the rows a table shows as CSV through the console core (which asks where to save), then shows the path. */
export const ExportCsvButton = <T,>({ table, scope, columns, rows, describe, testId, disabled }: ExportCsvButtonProps<T>) => {
  const [state, setState] = useState<State>({ running: false });
  const run = async () => {
    setState({ running: true });
    try {
      const all = await rows();
      const result = await getBridge().invoke('tables.exportCsv', csvExportInput(table, scope, columns, all));
      setState({ running: false, result });
    } catch (error) {
      setState({ running: false, error: toErrorShape(error) });
    }
  };
  const { result, error } = state;
  return (
    <>
      <Button size="small" icon={<DownloadIcon />} text="Export CSV" loading={state.running} disabled={disabled} onClick={() => void run()} data-testid={testId} />
      {result?.saved && (
        <span className={`${Classes.TEXT_MUTED} attest-export-result`} data-testid={`${testId}-saved`} aria-live="polite" title={result.path ?? undefined}>
          Saved{' '}
          <code data-testid={`${testId}-path`} data-path={result.path}>
            {fileName(result.path)}
          </code>{' '}
          ({describe ? describe(result.rows) : `${result.rows.toLocaleString()} rows`}) in <code>{folderOf(result.path)}</code>
        </span>
      )}
      {result && !result.saved && (
        <span className={`${Classes.TEXT_MUTED} attest-export-result`} aria-live="polite">
          Export cancelled; nothing was saved.
        </span>
      )}
      {error && (
        <Tag minimal intent="danger" data-testid={`${testId}-error`} data-code={error.code} title={error.message}>
          Export failed: {error.message}
        </Tag>
      )}
    </>
  );
};

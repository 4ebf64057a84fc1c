import { describe, expect, it } from 'vitest';
import { ipcChannels } from '../../../shared/ipc/contract';
import { csvColumnsOf, csvExportInput } from './csvExport';
import type { DataColumn } from './VirtualGrid';

interface Row {
  name: string;
  count: number;
}

const columns: DataColumn<Row>[] = [
  { id: 'name', header: 'Name', width: 'auto', cell: (r) => r.name, csv: (r) => r.name },
  { id: 'count', header: 'Count', width: '80px', cell: (r) => r.count, csv: (r) => r.count },
  { id: 'shown-only', header: 'Badge', width: '80px', cell: () => '★' },
  { id: 'actions', header: '', width: '40px', cell: () => null, csv: () => 'never' },
];

describe('CSV export of a table', () => {
  it('takes the columns with an export value and a header, in the table order, and the rows as given', () => {
    const input = csvExportInput('tenants', 'filtered', csvColumnsOf(columns), [
      { name: '=1+1', count: 2 },
      { name: 'Acme', count: 0 },
    ]);
    expect(input).toEqual({ table: 'tenants', scope: 'filtered', columns: ['Name', 'Count'], rows: [['=1+1', 2], ['Acme', 0]] });
    // What the renderer sends is what the channel accepts (the core defuses the formula when writing).
    expect(ipcChannels['tables.exportCsv'].input.safeParse(input).success).toBe(true);
  });

  it('leaves the scope out when there is none, and exports an empty table as its header', () => {
    expect(csvExportInput('users', undefined, csvColumnsOf(columns), [])).toEqual({ table: 'users', columns: ['Name', 'Count'], rows: [] });
  });
});

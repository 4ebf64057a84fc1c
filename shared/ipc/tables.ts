import { z } from 'zod';
import { SingleLineText } from '../common/text';

/** The console's tables that export to CSV; the name starts the file's name. */
export const EXPORTABLE_TABLES = ['users', 'sessions', 'audit', 'incidents', 'approvals', 'reviews', 'tenants', 'api-tokens'] as const;
export const ExportableTableSchema = z.enum(EXPORTABLE_TABLES);
export type ExportableTable = z.infer<typeof ExportableTableSchema>;

/** Display values, not stored: any text (the core's CSV writer quotes it and defuses formulas). */
const CellSchema = z.union([z.string().max(20_000), z.number(), z.boolean(), z.null()]);

export const MAX_EXPORT_ROWS = 1_000_000;

export const TableExportInputSchema = z
  .object({
    table: ExportableTableSchema,
    /** What the rows are of, for the file name: a tenant's name, "filtered", … */
    scope: SingleLineText.min(1).max(200).optional(),
    columns: z.array(SingleLineText.min(1).max(200)).min(1).max(50),
    rows: z.array(z.array(CellSchema).max(50)).max(MAX_EXPORT_ROWS),
  })
  .strict()
  .refine((input) => input.rows.every((row) => row.length === input.columns.length), { message: 'every row needs one cell per column', path: ['rows'] });
export type TableExportInput = z.infer<typeof TableExportInputSchema>;

export const TableExportResultSchema = z
  .object({
    /** False when the person cancelled the save dialog. */
    saved: z.boolean(),
    /** Where the file was written (never over an existing file). */
    path: z.string().nullable(),
    rows: z.number().int().min(0),
  })
  .strict();
export type TableExportResult = z.infer<typeof TableExportResultSchema>;

export const tableChannels = {
  /** The rows a table shows, written as CSV where the core chooses (a save dialog in Electron); the renderer never names a path. */
  'tables.exportCsv': { input: TableExportInputSchema, output: TableExportResultSchema },
} as const;

import { Button, Menu, MenuDivider, MenuItem, PopoverNext } from '@blueprintjs/core';
import { Fragment, useState } from 'react';
import { documentLabel } from '../../../../shared/incidents/documents';
import type { IncidentView } from '../../../../shared/ipc/incidents';
import { getBridge } from '../../platform/platform';
import { toIpcError } from '../../platform/ipcError';
import { PrintPreview } from './PrintPreview';

type ExportDocument = 'review' | IncidentView['notices'][number]['kind'];
type ExportFormat = 'markdown' | 'pdf';

interface ExportMenuProps {
  incidentId: string;
  notices: IncidentView['notices'];
  onError(message: string | null): void;
}

/** The incident's documents (the review, each tenant's notices), each as Markdown or PDF. */
export const ExportMenu = ({ incidentId, notices, onError }: ExportMenuProps) => {
  const [status, setStatus] = useState<string | null>(null);
  const [printing, setPrinting] = useState<{ html: string; filename: string } | null>(null);

  const run = async (document: ExportDocument, format: ExportFormat, tenantId?: string) => {
    try {
      const result = await getBridge().invoke('incidents.export', { incidentId, document, format, ...(tenantId ? { tenantId } : {}) });
      onError(null);
      if (result.format === 'pdf' && result.printHtml !== null) {
        setStatus(null);
        setPrinting({ html: result.printHtml, filename: result.filename });
      } else {
        setStatus(result.saved ? `Saved to ${result.path ?? result.filename}` : 'Export cancelled');
      }
    } catch (e) {
      onError(toIpcError(e).message);
    }
  };
  const formats = (document: ExportDocument, tenant?: { id: string; name: string }) => (
    <>
      <MenuItem
        icon="document"
        text="Markdown…"
        data-testid={`export-${document}-markdown`}
        data-tenant={tenant?.name}
        onClick={() => void run(document, 'markdown', tenant?.id)}
      />
      <MenuItem icon="print" text="PDF…" data-testid={`export-${document}-pdf`} data-tenant={tenant?.name} onClick={() => void run(document, 'pdf', tenant?.id)} />
    </>
  );

  const menu = (
    <Menu data-testid="incident-export-menu">
      <MenuDivider title={documentLabel('review')} />
      {formats('review')}
      {notices.map((n) => (
        <Fragment key={`${n.kind}-${n.tenantId}`}>
          <MenuDivider title={`${documentLabel(n.kind)} · ${n.tenantName}`} />
          {formats(n.kind, { id: n.tenantId, name: n.tenantName })}
        </Fragment>
      ))}
    </Menu>
  );

  return (
    <>
      <PopoverNext content={menu} placement="bottom-start">
        <Button small icon="export" endIcon="caret-down" data-testid="incident-export">
          Export
        </Button>
      </PopoverNext>
      {status && (
        <span className="attest-muted attest-export-saved" data-testid="incident-export-status">
          {status}
        </span>
      )}
      {printing && <PrintPreview html={printing.html} filename={printing.filename} onClose={() => setPrinting(null)} />}
    </>
  );
};

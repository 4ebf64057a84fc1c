import { Button, Classes, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import { useRef } from 'react';
import { printFrame } from '../../platform/printFrame';

interface PrintPreviewProps {
  /** A whole document from the core: escaped text and a stylesheet, no script. */
  html: string;
  filename: string;
  onClose(): void;
}

/**
 * Browser mode's PDF export: the core cannot print, so the document is shown in
 * a frame that may not run scripts, and printed from there; the browser's dialog
 * saves it as a PDF. The print dialog opens once the document has loaded.
 */
export const PrintPreview = ({ html, filename, onClose }: PrintPreviewProps) => {
  const frame = useRef<HTMLIFrameElement>(null);
  const printed = useRef(false);
  const print = () => {
    if (frame.current) printFrame(frame.current);
  };
  return (
    <Dialog isOpen onClose={onClose} title={`Print preview · ${filename}`} className="attest-print-dialog">
      <DialogBody className="attest-print-body">
        <iframe
          ref={frame}
          title="Document to print"
          className="attest-print-frame"
          data-testid="print-frame"
          sandbox="allow-same-origin allow-modals"
          referrerPolicy="no-referrer"
          srcDoc={html}
          onLoad={() => {
            if (printed.current) return;
            printed.current = true;
            print();
          }}
        />
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button text="Close" onClick={onClose} />
            <Button intent="primary" icon="print" text="Print…" onClick={print} data-testid="print-again" />
          </>
        }
      >
        <span className={Classes.TEXT_MUTED}>Choose “Save as PDF” as the printer to keep a PDF.</span>
      </DialogFooter>
    </Dialog>
  );
};

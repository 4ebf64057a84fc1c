/**
 * Prints the document shown in a same-origin, script-less frame with the
 * browser's own print dialog (where the user picks "Save as PDF"). Marks the
 * frame once print() has returned, so a test can see it was asked.
 */
export function printFrame(frame: HTMLIFrameElement): boolean {
  const view = frame.contentWindow;
  if (!view) return false;
  view.focus();
  view.print();
  frame.dataset.printed = 'true';
  return true;
}

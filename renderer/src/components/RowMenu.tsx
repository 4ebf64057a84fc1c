import { ContextMenuPopover } from '@blueprintjs/core';
import { MORE_ICON } from './cellIcons';
import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { CellButton } from './CellButton';

interface OpenMenu {
  readonly anchor: HTMLElement;
  readonly content: ReactElement;
}

/**
 * One actions menu for a whole table: each row has a plain "…" button and the view renders a
 * single popover at the button that was pressed. A popover per row (Blueprint's Popover with its
 * positioning machinery) was most of the cost of mounting a row while the table scrolls.
 * Escape or a click outside closes the menu, and focus goes back to the row's button.
 */
export const useRowMenu = (): { open(anchor: HTMLElement, content: ReactElement): void; menu: ReactElement | null } => {
  const [shown, setShown] = useState<OpenMenu | null>(null);
  const open = useCallback((anchor: HTMLElement, content: ReactElement) => setShown({ anchor, content }), []);
  const close = useCallback(() => {
    setShown(null);
    if (shown?.anchor.isConnected) shown.anchor.focus();
  }, [shown]);
  // Blueprint closes on Escape only once it has moved focus into the menu, a frame after it opens;
  // an Escape pressed before that (a quick Enter, Escape) reaches the document, and closes it here.
  // Once focus is inside, Blueprint's own handler stops the key before it gets this far.
  useEffect(() => {
    if (!shown) return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [shown, close]);
  const offset = useMemo(() => {
    if (!shown) return undefined;
    const box = shown.anchor.getBoundingClientRect();
    // The popover's virtual target covers the button, so the menu opens below it as a Popover would.
    return { left: box.left, top: box.top, width: box.width, height: box.height };
  }, [shown]);
  const menu = shown ? <ContextMenuPopover isOpen placement="bottom-end" content={shown.content} targetOffset={offset} onClose={close} /> : null;
  return { open, menu };
};

/** The row's "…" button that opens the table's actions menu (useRowMenu) for that row. */
export const RowMenuButton = ({ label, testId, onOpen }: { label: string; testId: string; onOpen(anchor: HTMLElement): void }) => (
  <CellButton
    icon={MORE_ICON}
    aria-label={label}
    aria-haspopup="menu"
    data-testid={testId}
    onClick={(event) => {
      // The row selects on click; opening its menu is not a selection.
      event.stopPropagation();
      onOpen(event.currentTarget);
    }}
    onKeyDown={(event) => {
      if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
    }}
  />
);

import { Classes, type Intent } from '@blueprintjs/core';
import type { ButtonHTMLAttributes, ReactNode } from 'react';

type CellButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'className' | 'type'> & {
  intent?: Intent;
  /** An icon before the text (a Blueprint icon element). */
  icon?: ReactNode;
  text?: string;
  [data: `data-${string}`]: string | number | boolean | undefined;
};

/**
 * A small minimal Blueprint button as table cells show one: the same markup and classes as
 * `<Button size="small" variant="minimal">`, without Button's per-instance state and handlers.
 * A scrolling table mounts a row's buttons on every frame that brings the row into view.
 */
export const CellButton = ({ intent, icon, text, ...rest }: CellButtonProps) => (
  <button {...rest} type="button" className={[Classes.BUTTON, Classes.MINIMAL, Classes.SMALL, Classes.intentClass(intent)].filter(Boolean).join(' ')}>
    {icon}
    {text !== undefined && <span className={Classes.BUTTON_TEXT}>{text}</span>}
  </button>
);

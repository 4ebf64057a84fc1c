import { Classes, type Intent } from '@blueprintjs/core';
import type { HTMLAttributes, ReactNode } from 'react';

type CellTagProps = Omit<HTMLAttributes<HTMLSpanElement>, 'className'> & {
  intent?: Intent;
  /** An icon before the text (a Blueprint icon element). */
  icon?: ReactNode;
  className?: string;
  children?: ReactNode;
  [data: `data-${string}`]: string | number | boolean | undefined;
};

/**
 * A minimal Blueprint tag as table cells show one: the same markup and classes as `<Tag minimal>`,
 * without Tag's text component, which measures its text in a layout effect to decide on a title —
 * a forced layout for every tag of every row a scrolling table mounts. Cells give their own title.
 */
export const CellTag = ({ intent, icon, className, children, ...rest }: CellTagProps) => (
  <span {...rest} className={[Classes.TAG, Classes.intentClass(intent), Classes.MINIMAL, className].filter(Boolean).join(' ')}>
    {icon}
    {children !== undefined && children !== null && children !== false && <span className={`${Classes.TEXT_OVERFLOW_ELLIPSIS} ${Classes.FILL}`}>{children}</span>}
  </span>
);

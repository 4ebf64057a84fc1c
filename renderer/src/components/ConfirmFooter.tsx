import { Button, DialogFooter, type Intent } from '@blueprintjs/core';
import type { ReactNode } from 'react';

/**
 * A dialog's Cancel and confirm buttons (Cancel waits while the request runs). The
 * confirm button submits the dialog's form unless it has its own `onConfirm`.
 */
export const ConfirmFooter = ({
  onCancel,
  busy,
  confirm,
  cancelTestId,
  before,
  children,
}: {
  onCancel(): void;
  busy: boolean;
  confirm: { text: string; testId: string; intent?: Intent; disabled?: boolean; onConfirm?: () => void };
  cancelTestId?: string;
  /** Actions before Cancel, such as Remove. */
  before?: ReactNode;
  /** A note at the footer's start. */
  children?: ReactNode;
}) => (
  <DialogFooter
    actions={
      <>
        {before}
        <Button text="Cancel" onClick={onCancel} disabled={busy} data-testid={cancelTestId} />
        <Button
          type={confirm.onConfirm ? 'button' : 'submit'}
          intent={confirm.intent ?? 'primary'}
          text={confirm.text}
          loading={busy}
          disabled={confirm.disabled}
          onClick={confirm.onConfirm}
          data-testid={confirm.testId}
        />
      </>
    }
  >
    {children}
  </DialogFooter>
);

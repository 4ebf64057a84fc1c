import { InputGroup } from '@blueprintjs/core';
import { LockIcon } from '@blueprintjs/icons';

/** A password box: masked, with the lock icon, and the autocomplete hint that tells a password manager which password it is. */
export const PasswordInput = ({
  id,
  autoComplete,
  value,
  onValueChange,
  disabled,
}: {
  id: string;
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onValueChange(value: string): void;
  disabled: boolean;
}) => <InputGroup id={id} type="password" autoComplete={autoComplete} leftIcon={<LockIcon />} value={value} onValueChange={onValueChange} disabled={disabled} data-testid={id} />;

import { InputGroup } from '@blueprintjs/core';
import { KeyIcon } from '@blueprintjs/icons';
import { useEffect, useRef } from 'react';

interface Props {
  value: string;
  onValueChange(value: string): void;
  testId: string;
  label: string;
  disabled?: boolean;
}

/**
 * Six digits from an authenticator app: numeric keyboard, one-time-code autofill,
 * and focus whenever it can take input (on arrival, and again after a refused code).
 * autoFocus alone is not enough: the field often mounts disabled while the step before it finishes.
 */
export const OneTimeCodeInput = ({ value, onValueChange, testId, label, disabled = false }: Props) => {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!disabled) ref.current?.focus();
  }, [disabled]);
  return (
    <InputGroup
      inputRef={ref}
      className="attest-otp-input"
      leftIcon={<KeyIcon />}
      placeholder="123456"
      aria-label={label}
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]{6}"
      maxLength={6}
      spellCheck={false}
      disabled={disabled}
      data-testid={testId}
      value={value}
      onValueChange={(next) => onValueChange(next.replace(/\D/g, '').slice(0, 6))}
    />
  );
};

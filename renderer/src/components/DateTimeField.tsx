import { Classes, InputGroup, type InputGroupProps, type Intent } from '@blueprintjs/core';
import { useState, type Ref } from 'react';
import { FIELD_PLACEHOLDER, fieldZoneName, parseFieldText } from '../platform/dateTimeInput';
import { useShownTimeZone } from '../platform/TimeZoneProvider';

type FieldProps = Pick<InputGroupProps, 'id' | 'size' | 'title' | 'aria-label' | 'aria-invalid' | 'aria-describedby'> & {
  value: string;
  onChange(text: string): void;
  intent?: Intent;
  inputRef?: Ref<HTMLInputElement>;
  'data-testid'?: string;
};

/**
 * A date and time typed as the console shows them ("2026-12-05 14:30", 24-hour), in the zone the
 * console shows times in, named at the field's end; the form reads it with `parseFieldText`.
 * Not the browser's picker, which follows the desk's locale (12-hour and month first in en-US).
 */
export function DateTimeField({ value, onChange, intent, inputRef, ...rest }: FieldProps) {
  const zone = useShownTimeZone();
  const [opened] = useState(Date.now);
  const typed = parseFieldText(value, zone);
  // The zone's name at the time typed (summer and winter names differ), else at the time the field opened.
  const zoneName = fieldZoneName(zone, typed.ok ? typed.ms : opened);
  return (
    <InputGroup
      {...rest}
      inputRef={inputRef}
      value={value}
      intent={intent}
      placeholder={FIELD_PLACEHOLDER}
      spellCheck={false}
      autoComplete="off"
      maxLength={40}
      onValueChange={onChange}
      rightElement={
        <span className={`${Classes.TEXT_MUTED} attest-field-zone`} title={zone === 'utc' ? 'Typed in UTC (the console shows times in UTC)' : `Typed in this computer's time zone (${zoneName})`} data-testid="field-zone">
          {zoneName}
        </span>
      }
    />
  );
}

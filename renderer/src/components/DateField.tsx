import { InputGroup, type InputGroupProps, type Intent } from '@blueprintjs/core';
import { DAY_PLACEHOLDER } from '../platform/dateTimeInput';

type DayProps = Pick<InputGroupProps, 'id' | 'aria-invalid' | 'aria-describedby'> & {
  value: string;
  onChange(text: string): void;
  intent?: Intent;
  'data-testid'?: string;
};

/**
 * A calendar day typed in ISO order ("2027-01-04"), as the console shows days; the form reads it
 * with `parseDayText`. Not the browser's date picker, which follows the desk's locale (month first in en-US).
 */
export const DateField = ({ value, onChange, intent, ...rest }: DayProps) => (
  <InputGroup {...rest} value={value} intent={intent} placeholder={DAY_PLACEHOLDER} spellCheck={false} autoComplete="off" maxLength={10} onValueChange={onChange} />
);

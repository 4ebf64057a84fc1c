import { FormGroup, InputGroup } from '@blueprintjs/core';
import { TagIcon } from '@blueprintjs/icons';

/** The pasted invitation token, where a new account accepts (sign-in screen) and where a signed-in one does (account menu). */
export const InviteTokenField = ({
  id,
  label,
  value,
  onChange,
  problem,
  disabled,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  problem: string | null;
  disabled: boolean;
}) => (
  <FormGroup label={label} labelFor={id} helperText={problem ?? undefined} intent={problem ? 'warning' : 'none'}>
    <InputGroup
      id={id}
      // eslint-disable-next-line jsx-a11y/no-autofocus -- kept: the field is the first of a step the person just opened (the accept dialog, or the sign-in screen's accept step, whose button is gone)
      autoFocus
      autoComplete="off"
      spellCheck={false}
      className="attest-mono"
      leftIcon={<TagIcon />}
      placeholder="atst_inv_…"
      value={value}
      onValueChange={onChange}
      disabled={disabled}
      data-testid={id}
    />
  </FormGroup>
);

import { Button, Callout, DialogBody, DialogFooter, FormGroup, InputGroup } from '@blueprintjs/core';
import { DuplicateIcon } from '@blueprintjs/icons';
import { useState, type ReactNode } from 'react';

interface Props {
  /** What was made, and that it is shown only now. */
  summary: ReactNode;
  label: string;
  value: string;
  /** The field's id and test id. */
  valueId: string;
  /** Prefix of the other test ids: `<prefix>-created`, `-copy`, `-done`. */
  testIdPrefix: string;
  className?: string;
  onClose(): void;
}

/** A dialog body that shows a secret once, with Copy; closing the dialog forgets it. */
export const SecretShownOnce = ({ summary, label, value, valueId, testIdPrefix, className, onClose }: Props) => {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <DialogBody>
        <Callout compact intent="success" data-testid={`${testIdPrefix}-created`}>
          {summary}
        </Callout>
        <FormGroup label={label} labelFor={valueId} {...(className ? { className } : {})}>
          <InputGroup
            id={valueId}
            readOnly
            // eslint-disable-next-line jsx-a11y/no-autofocus -- in a Blueprint Dialog, which would focus its frame: focus goes to the secret to copy (WAI-ARIA dialog pattern)
            autoFocus
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            data-testid={valueId}
            rightElement={
              <Button
                variant="minimal"
                icon={<DuplicateIcon />}
                text={copied ? 'Copied' : 'Copy'}
                data-testid={`${testIdPrefix}-copy`}
                onClick={() => void navigator.clipboard.writeText(value).then(() => setCopied(true))}
              />
            }
          />
        </FormGroup>
      </DialogBody>
      <DialogFooter actions={<Button intent="primary" text="Done" onClick={onClose} data-testid={`${testIdPrefix}-done`} />} />
    </>
  );
};

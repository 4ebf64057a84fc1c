import { Classes } from '@blueprintjs/core';
import type { MouseEvent } from 'react';
import { PersonLink } from '../../components/PersonLink';
import type { Named } from './auditNames';
import { followAuditLink } from './followAuditLink';

/** A name as the audit view shows it: unknown ones muted, the id on hover, a link where a view shows the thing. */
export const AuditName = ({ named, testId }: { named: Named; testId?: string }) => {
  const className = named.known ? undefined : Classes.TEXT_MUTED;
  if (named.personId)
    return (
      <span title={named.title} data-testid={testId} data-known>
        <PersonLink userId={named.personId} name={named.label} />
      </span>
    );
  if (named.link) {
    const link = named.link;
    const onClick = (event: MouseEvent) => {
      event.stopPropagation();
      followAuditLink(link);
    };
    return (
      <button type="button" title={named.title} className={`attest-link-button ${className ?? ''}`} onClick={onClick} data-testid={testId}>
        {named.label}
      </button>
    );
  }
  return (
    <span title={named.title} className={className} data-testid={testId} data-known={named.known}>
      {named.label}
    </span>
  );
};

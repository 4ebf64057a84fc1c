import type { MouseEvent } from 'react';
import { openPerson } from '../shell/navigationStore';

/**
 * A person's name that opens their person page: the one way every view shows a
 * person. The id is on hover, never instead of the name.
 */
export function PersonLink({ userId, name, email, className }: { userId: string; name: string | null | undefined; email?: string | null; className?: string }) {
  const label = name?.trim() || email?.trim() || 'Unknown person';
  const open = (event: MouseEvent) => {
    event.stopPropagation();
    openPerson(userId);
  };
  return (
    <a
      role="button"
      tabIndex={0}
      className={`attest-person-link ${className ?? ''}`}
      title={email ? `${email} · ${userId}` : userId}
      data-testid="person-link"
      data-user-id={userId}
      onClick={open}
      onKeyDown={(event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        event.stopPropagation();
        openPerson(userId);
      }}
    >
      {label}
    </a>
  );
}

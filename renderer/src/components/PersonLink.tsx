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
    <button
      type="button"
      className={`attest-link-button attest-person-link ${className ?? ''}`}
      title={email ? `${email} · ${userId}` : userId}
      data-testid="person-link"
      data-user-id={userId}
      onClick={open}
      // The button clicks itself on Enter and Space; the row it sits in must not act on them too.
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
      }}
    >
      {label}
    </button>
  );
}

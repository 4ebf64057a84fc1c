import { Classes } from '@blueprintjs/core';
import { PersonLink } from './PersonLink';

/**
 * A person in a table row: their name, a link to their person page (plain text for someone who
 * has not joined yet), then their email, muted. Inline in the cell, so the cell's own ellipsis
 * cuts a long email, and two elements a row: a scrolling table fills these on every frame.
 */
export const PersonCell = ({ userId, name, email, link = true }: { userId: string; name: string | null | undefined; email: string; link?: boolean }) => (
  <>
    {link ? <PersonLink userId={userId} name={name} email={email} className="attest-cell-strong" /> : <span className="attest-cell-strong">{name || email}</span>}
    <span className={`${Classes.TEXT_MUTED} attest-cell-aside`}>{email}</span>
  </>
);

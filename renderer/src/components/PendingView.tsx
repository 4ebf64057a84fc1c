import { NonIdealState } from '@blueprintjs/core';
import type { ReactElement } from 'react';

interface Props {
  icon: ReactElement;
  title: string;
  /** Which piece of work brings this view. */
  arrivesWith: string;
  /** One sentence: what the view will let the user do. */
  purpose: string;
}

/** An honest placeholder for a view that is not built yet: no sample data. */
export const PendingView = ({ icon, title, arrivesWith, purpose }: Props) => (
  <div className="attest-pending" data-testid="pending-view">
    <NonIdealState
      icon={icon}
      iconMuted
      title={title}
      description={
        <>
          <p className="attest-pending-when">Arrives with {arrivesWith}.</p>
          <p>{purpose}</p>
        </>
      }
    />
  </div>
);

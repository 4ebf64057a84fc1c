import { ProgressBar, Tag } from '@blueprintjs/core';
import type { DeadlineStatus } from '../../../../shared/incidents/deadlines';
import { DateTime } from '../../components/DateTime';
import { countdownOf } from './deadlinePreview';
import { DEADLINE_INTENT } from './incidentsModel';

/** Each deadline as a live countdown bar: the share of its window left, green, then amber and red by the policy. */
export const DeadlineBars = ({ deadlines, now, provisional }: { deadlines: readonly DeadlineStatus[]; now: Date; provisional: boolean }) => (
  <ul className="attest-deadline-bars" data-testid="incident-deadlines">
    {deadlines.map((d) => {
      const c = countdownOf(d, now);
      return (
        <li key={d.id} data-testid={`deadline-${d.id}`} data-state={d.state}>
          <div className="attest-deadline-line">
            <Tag minimal intent={DEADLINE_INTENT[d.state]}>
              {d.state.replace('_', ' ')}
            </Tag>
            <span className="attest-deadline-label">{d.label}</span>
          </div>
          {d.state !== 'not_started' && <ProgressBar value={c.value} intent={c.intent} stripes={false} animate={false} aria-label={`${d.label}: ${c.text}`} />}
          <div className="attest-deadline-when">
            <span className="attest-deadline-text" data-testid="deadline-text">
              {c.text}
              {provisional && d.state !== 'not_started' && ' (provisional)'}
            </span>
            {d.state !== 'not_started' && (
              <span className="attest-muted">
                due <DateTime value={d.dueAt} />
              </span>
            )}
          </div>
        </li>
      );
    })}
  </ul>
);

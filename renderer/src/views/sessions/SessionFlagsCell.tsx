import { CellButton } from '../../components/CellButton';
import { CellTag } from '../../components/CellTag';
import { TickIcon, WarningSignIcon } from '@blueprintjs/icons';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import { utcInstant } from '../../platform/dateTime';
import { FLAG_MEANINGS } from './deviceModel';

/** A session's flags, then what this tenant's review made of them, or (for those who may) a Review button. */
export const SessionFlagsCell = ({ session, onReview }: { session: SessionSummary; onReview: ((s: SessionSummary) => void) | null }) => {
  if (session.flags.length === 0) return null;
  const review = session.flagReview;
  return (
    <span data-testid="session-flags" className="attest-session-flags">
      {session.flags.map((f) => (
        <CellTag key={f} intent="warning" className="attest-session-flag" title={FLAG_MEANINGS[f].meaning}>
          {FLAG_MEANINGS[f].label}
        </CellTag>
      ))}
      {review ? (
        // An icon only, so the column stays narrow; the words are in the label and tooltip.
        <CellTag
          intent={review.outcome === 'expected' ? 'success' : 'danger'}
          icon={review.outcome === 'expected' ? <TickIcon /> : <WarningSignIcon />}
          aria-label={`Reviewed: ${review.outcome}`}
          title={`Reviewed: ${review.outcome} (${utcInstant(review.reviewedAt)})`}
          data-testid="session-flag-reviewed"
          data-outcome={review.outcome}
        />
      ) : (
        onReview &&
        !session.current && (
          <CellButton
            text="Review"
            data-testid="session-flag-review"
            onClick={(event) => {
              event.stopPropagation();
              onReview(session);
            }}
          />
        )
      )}
    </span>
  );
};

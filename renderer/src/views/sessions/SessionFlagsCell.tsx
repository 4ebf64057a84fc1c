import { CellButton } from '../../components/CellButton';
import { CellTag } from '../../components/CellTag';
import { EXPECTED_ICON, SUSPICIOUS_ICON } from '../../components/cellIcons';
import type { SessionSummary } from '../../../../shared/sessions/schemas';
import { utcInstant } from '../../platform/dateTime';
import { FLAG_MEANINGS } from './deviceModel';

/**
 * What this tenant's review made of a session's flags, or (for those who may) a Review button, then
 * the flags: the action first, so it stays in view however many flags the narrow column cuts.
 */
export const SessionFlagsCell = ({ session, onReview }: { session: SessionSummary; onReview: ((s: SessionSummary) => void) | null }) => {
  if (session.flags.length === 0) return null;
  const review = session.flagReview;
  return (
    <span data-testid="session-flags" className="attest-session-flags">
      {review ? (
        // An icon only, so the column stays narrow; the words are in the label and tooltip.
        <CellTag
          intent={review.outcome === 'expected' ? 'success' : 'danger'}
          icon={review.outcome === 'expected' ? EXPECTED_ICON : SUSPICIOUS_ICON}
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
      {session.flags.map((f) => (
        <CellTag key={f} intent="warning" title={FLAG_MEANINGS[f].meaning}>
          {FLAG_MEANINGS[f].label}
        </CellTag>
      ))}
    </span>
  );
};

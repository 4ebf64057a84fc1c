import { Callout, Classes, HTMLSelect, Tag } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { PostureSnapshot } from '../../../../shared/posture/api';
import { formatDateTime } from '../../platform/dateTime';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';
import { STATUS_INTENT, STATUS_LABEL } from './postureModel';
import { defaultDiffPair, diffOfSnapshots } from './trustPageModel';

/** What the trust page would say differently between two snapshots of the history. */
export const SnapshotDiff = ({ snapshots }: { snapshots: readonly PostureSnapshot[] }) => {
  const zone = useShownTimeZone();
  const initial = useMemo(() => defaultDiffPair(snapshots), [snapshots]);
  const [pair, setPair] = useState<{ before: string; after: string } | null>(null);
  const chosen = pair ?? initial;
  if (!chosen) return <p className={Classes.TEXT_MUTED}>Two snapshots are needed to compare: Evaluate now stores one.</p>;
  const options = [...snapshots].sort((a, b) => b.takenAt.localeCompare(a.takenAt)).map((s) => ({ value: s.id, label: formatDateTime(s.takenAt, { zone, style: 'dateTimeSeconds' }) }));
  const diff = diffOfSnapshots(snapshots, chosen.before, chosen.after);
  return (
    <div data-testid="posture-diff">
      <div className="attest-toolbar">
        <HTMLSelect aria-label="Compare from" value={chosen.before} options={options} onChange={(e) => setPair({ ...chosen, before: e.currentTarget.value })} />
        <span>→</span>
        <HTMLSelect aria-label="Compare to" value={chosen.after} options={options} onChange={(e) => setPair({ ...chosen, after: e.currentTarget.value })} />
      </div>
      {!diff ? (
        <p className={Classes.TEXT_MUTED}>Pick two different snapshots.</p>
      ) : diff.changes.length === 0 ? (
        <Callout compact intent="success">The page says the same at both times.</Callout>
      ) : (
        <ul className="attest-posture-diff">
          {diff.changes.map((c) => (
            <li key={c.controlId} data-control={c.controlId} data-kind={c.kind}>
              <strong>{c.title}</strong>{' '}
              {c.statusBefore && <Tag minimal intent={STATUS_INTENT[c.statusBefore]}>{STATUS_LABEL[c.statusBefore]}</Tag>} →{' '}
              {c.statusAfter && <Tag minimal intent={STATUS_INTENT[c.statusAfter]}>{STATUS_LABEL[c.statusAfter]}</Tag>}
              {c.before.map((t) => (
                <div key={`b${t}`} className="attest-diff-removed">
                  − {t}
                </div>
              ))}
              {c.after.map((t) => (
                <div key={`a${t}`} className="attest-diff-added">
                  + {t}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};

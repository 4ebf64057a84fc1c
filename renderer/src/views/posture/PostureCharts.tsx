import { Classes, HTMLSelect, NonIdealState } from '@blueprintjs/core';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PostureSnapshot } from '../../../../shared/posture/api';
import type { Evidence } from '../../../../shared/posture/control';
import { formatDateTime } from '../../platform/dateTime';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';
import { anyClockClosed, clockBars, trendSeries, type ClockWindow } from './chartsModel';

// Colours are CSS variables (styles.css) so the charts follow Blueprint's light and dark themes.
const AXIS = { stroke: 'var(--attest-muted)', tick: { fill: 'var(--attest-muted)', fontSize: 11 } };
const TOOLTIP = { contentStyle: { background: 'var(--attest-surface)', border: '1px solid var(--attest-border)', fontSize: 12 }, labelStyle: { color: 'inherit' } };

export const TrendChart = ({ snapshots }: { snapshots: readonly PostureSnapshot[] }) => {
  const zone = useShownTimeZone();
  const data = trendSeries(snapshots);
  const title = 'Controls passing, warning and failing over the stored snapshots';
  if (data.length === 0) return <NonIdealState title="No snapshots yet" description="Evaluate now to store the first one; a daily snapshot is taken as well." />;
  const at = (v: string) => formatDateTime(v, { zone, style: 'date' });
  return (
    <figure className="attest-chart" data-testid="posture-trend" aria-label={title}>
      <figcaption className={Classes.TEXT_MUTED}>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -16 }} accessibilityLayer title={title}>
          <CartesianGrid stroke="var(--attest-border)" vertical={false} />
          <XAxis dataKey="takenAt" tickFormatter={at} {...AXIS} />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip {...TOOLTIP} labelFormatter={(v) => formatDateTime(String(v), { zone })} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="stepAfter" dataKey="pass" name="Pass" stroke="var(--attest-chart-pass)" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="warn" name="Warning" stroke="var(--attest-chart-warn)" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="fail" name="Fail" stroke="var(--attest-chart-fail)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
};

export const ClockChart = ({ evidence }: { evidence: Evidence }) => {
  const [span, setSpan] = useState<ClockWindow>(365);
  const bars = clockBars(evidence, span);
  const title = `Incident deadline clocks met and missed, last ${span} days`;
  return (
    <figure className="attest-chart" data-testid="posture-clocks" aria-label={title}>
      <figcaption className={Classes.TEXT_MUTED}>
        {title}{' '}
        <HTMLSelect
          minimal
          aria-label="Window"
          value={span}
          onChange={(e) => setSpan(e.currentTarget.value === '90' ? 90 : 365)}
          options={[
            { value: 90, label: '90 days' },
            { value: 365, label: '365 days' },
          ]}
        />
      </figcaption>
      {anyClockClosed(bars) ? (
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }} accessibilityLayer title={title}>
            <CartesianGrid stroke="var(--attest-border)" horizontal={false} />
            <XAxis type="number" allowDecimals={false} {...AXIS} />
            <YAxis type="category" dataKey="label" width={200} {...AXIS} />
            <Tooltip {...TOOLTIP} cursor={{ fill: 'var(--attest-selected)' }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="met" name="Met" stackId="clock" fill="var(--attest-chart-pass)" isAnimationActive={false} />
            <Bar dataKey="missed" name="Missed" stackId="clock" fill="var(--attest-chart-fail)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      ) : (
        <p className={Classes.TEXT_MUTED}>No deadline clock closed in this window.</p>
      )}
    </figure>
  );
};

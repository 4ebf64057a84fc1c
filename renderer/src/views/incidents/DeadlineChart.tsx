import { Bar, BarChart, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DeadlineStatus } from '../../../../shared/incidents/deadlines';
import { formatDateTime } from '../../platform/dateTime';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';

/** Colours that read on the light and the dark theme alike (Blueprint's intent palette). */
const FILL: Record<DeadlineStatus['state'], string> = {
  not_started: '#8f99a8',
  pending: '#238551',
  amber: '#c87619',
  met: '#2d72d2',
  missed: '#cd4246',
};

type Running = Exclude<DeadlineStatus, { state: 'not_started' }>;

/** The incident's clocks on one time axis: each running deadline from its start to its due instant, and now. */
export const DeadlineChart = ({ deadlines, now }: { deadlines: readonly DeadlineStatus[]; now: Date }) => {
  const zone = useShownTimeZone();
  const running = deadlines.filter((d): d is Running => d.state !== 'not_started');
  if (running.length === 0) return null;
  const data = running.map((d) => ({ label: d.label, state: d.state, window: [Date.parse(d.startedAt), Date.parse(d.dueAt)] as [number, number] }));
  const min = Math.min(now.getTime(), ...data.map((d) => d.window[0]));
  const max = Math.max(now.getTime(), ...data.map((d) => d.window[1]));
  const tick = (t: number) => formatDateTime(t, { zone, style: 'dateTime' });
  const dayTick = (t: number) => formatDateTime(t, { zone, style: 'date' });
  return (
    <figure className="attest-deadline-chart" data-testid="deadline-chart" aria-label="The incident's clocks on a time axis">
      <ResponsiveContainer width="100%" height={36 + running.length * 28}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
          <XAxis type="number" domain={[min, max]} scale="time" tickFormatter={max - min > 2 * 86_400_000 ? dayTick : (t: number) => formatDateTime(t, { zone, style: 'time' })} tick={{ fill: 'currentColor', fontSize: 10 }} stroke="currentColor" tickCount={3} />
          <YAxis type="category" dataKey="label" width={120} tick={{ fill: 'currentColor', fontSize: 10 }} stroke="currentColor" />
          <Tooltip
            formatter={(value) => (Array.isArray(value) ? `${tick(Number(value[0]))} → ${tick(Number(value[1]))}` : String(value))}
            contentStyle={{ background: 'var(--attest-surface, #fff)', color: 'inherit' }}
          />
          <Bar dataKey="window" isAnimationActive={false} barSize={14}>
            {data.map((d) => (
              <Cell key={d.label} fill={FILL[d.state]} />
            ))}
          </Bar>
          <ReferenceLine x={now.getTime()} stroke="currentColor" strokeDasharray="3 3" label={{ value: 'now', fill: 'currentColor', fontSize: 10, position: 'top' }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
};

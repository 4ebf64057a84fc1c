import { formatDateTime, utcInstant, type DateTimeStyle } from '../platform/dateTime';
import { useShownTimeZone } from '../platform/TimeZoneProvider';

/** A time as every view shows it: in the chosen zone, with the exact UTC instant on hover (or a `title` that says more). */
export function DateTime({ value, style = 'dateTime', title }: { value: string | null | undefined; style?: DateTimeStyle; title?: string }) {
  const zone = useShownTimeZone();
  if (!value) return <span>—</span>;
  return (
    <time dateTime={value} title={title ?? utcInstant(value)}>
      {formatDateTime(value, { zone, style })}
    </time>
  );
}

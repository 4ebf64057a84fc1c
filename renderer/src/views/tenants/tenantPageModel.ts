import type { TenantSettings, TenantSummary, UpdateTenantSettingsRequest } from '../../../../shared/tenants/api';
import { formatCount } from '../../components/formatCount';

export type DurationUnit = 'minutes' | 'hours' | 'days';
export const DURATION_UNITS: readonly DurationUnit[] = ['minutes', 'hours', 'days'];
const UNIT_SECONDS: Record<DurationUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };

export interface Duration {
  value: string;
  unit: DurationUnit;
}

/** A limit in the largest unit that states it exactly (14 days, not 336 hours). */
export const durationOf = (seconds: number): Duration => {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return { value: String(seconds / UNIT_SECONDS[unit]), unit };
  }
  return { value: String(Math.round(seconds / 60)), unit: 'minutes' };
};

/** Seconds, or null for what is not a whole positive number. */
export const secondsOf = ({ value, unit }: Duration): number | null => {
  if (!/^\d{1,7}$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return n > 0 ? n * UNIT_SECONDS[unit] : null;
};

/** "15 minutes", "1 hour", "30 days". */
export const spoken = (seconds: number): string => {
  const { value, unit } = durationOf(seconds);
  return `${value} ${value === '1' ? unit.slice(0, -1) : unit}`;
};

export const boundsText = (b: { min: number; max: number }): string => `${spoken(b.min)} to ${spoken(b.max)}`;

export interface SettingsDraft {
  name: string;
  idle: Duration;
  absolute: Duration;
}

export const draftOf = (s: TenantSettings): SettingsDraft => ({ name: s.name, idle: durationOf(s.idleTimeoutSeconds), absolute: durationOf(s.absoluteTimeoutSeconds) });

/** What the form says under each field before anything is sent (the service checks again, with the same bounds). */
export const draftProblems = (draft: SettingsDraft, bounds: TenantSettings['bounds']): { name?: string; idle?: string; absolute?: string } => {
  const problems: { name?: string; idle?: string; absolute?: string } = {};
  const name = draft.name.trim();
  if (name === '') problems.name = 'A tenant needs a name.';
  else if (name.length > 200) problems.name = 'At most 200 characters.';
  const idle = secondsOf(draft.idle);
  const absolute = secondsOf(draft.absolute);
  if (idle === null) problems.idle = 'A whole number.';
  else if (idle < bounds.idle.min || idle > bounds.idle.max) problems.idle = `Between ${boundsText(bounds.idle)}.`;
  if (absolute === null) problems.absolute = 'A whole number.';
  else if (absolute < bounds.absolute.min || absolute > bounds.absolute.max) problems.absolute = `Between ${boundsText(bounds.absolute)}.`;
  else if (idle !== null && absolute < idle) problems.absolute = 'Not shorter than the idle limit.';
  return problems;
};

/** Only what changed, or null when nothing did (or the draft has problems). */
export const settingsChanges = (settings: TenantSettings, draft: SettingsDraft): UpdateTenantSettingsRequest | null => {
  if (Object.keys(draftProblems(draft, settings.bounds)).length > 0) return null;
  const changes: UpdateTenantSettingsRequest = {};
  const name = draft.name.trim();
  const idle = secondsOf(draft.idle);
  const absolute = secondsOf(draft.absolute);
  if (name !== settings.name) changes.name = name;
  if (idle !== null && idle !== settings.idleTimeoutSeconds) changes.idleTimeoutSeconds = idle;
  if (absolute !== null && absolute !== settings.absoluteTimeoutSeconds) changes.absoluteTimeoutSeconds = absolute;
  return Object.keys(changes).length > 0 ? changes : null;
};

/** "4 of 5 active members (80 %)"; a tenant without active members has nothing to cover. */
export const mfaCoverage = (summary: TenantSummary): { text: string; complete: boolean } => {
  const { enrolled, notEnrolled } = summary.mfa;
  const total = enrolled + notEnrolled;
  if (total === 0) return { text: 'No active members yet', complete: true };
  return { text: `${formatCount(enrolled)} of ${formatCount(total)} active members (${Math.floor((enrolled / total) * 100)} %)`, complete: notEnrolled === 0 };
};

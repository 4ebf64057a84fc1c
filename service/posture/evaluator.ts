import type { PermissionRule } from '../../shared/identity/permissions';
import { CONTROLS, type ControlId } from '../../shared/posture/catalogue';
import type { ControlStatus, Evidence } from '../../shared/posture/control';
import type { PlatformTx, TenantTx } from '../db/db';

/**
 * What the service is running with, read by the evaluators instead of claimed by
 * them: the password hasher's dummy hash (a PHC string carrying the live argon2
 * parameters), the permission matrix the route table checks, the TLS options the
 * listener was given (null: plain HTTP) and the HSTS max-age the headers send.
 */
export interface PostureRuntime {
  readonly passwordHashSample: string;
  readonly permissions: Readonly<Record<string, PermissionRule>>;
  readonly tls: { readonly minVersion: string } | null;
  readonly hstsMaxAgeSeconds: number | null;
}

/** An evaluation's inputs: the platform scope always, the tenant's (RLS) when a tenant is evaluated. */
export interface EvaluationContext {
  readonly now: Date;
  readonly platform: PlatformTx;
  readonly tenant: TenantTx | null;
  readonly runtime: PostureRuntime;
}

export interface EvaluationResult {
  readonly status: ControlStatus;
  readonly evidence: Evidence;
}

export type Evaluator = (ctx: EvaluationContext) => Promise<EvaluationResult>;

export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;

export const percent = (part: number, whole: number): number => (whole === 0 ? 100 : Math.floor((part / whole) * 1000) / 10);
export const count = (v: unknown): number => Number(v ?? 0);
export const hoursSince = (at: Date | string | null | undefined, now: Date): number | null =>
  at ? Math.floor(((now.getTime() - new Date(at).getTime()) / HOUR_MS) * 10) / 10 : null;

type ThresholdsOf<I extends ControlId> = Extract<(typeof CONTROLS)[number], { id: I }>['thresholds'];

/** A control's thresholds, typed by its id: evaluators read their limits from the catalogue, never a literal. */
export const thresholds = <I extends ControlId>(id: I): ThresholdsOf<I> => CONTROLS.find((c) => c.id === id)!.thresholds as unknown as ThresholdsOf<I>;

-- Remediation plans for any posture control (warn or fail), per tenant and for the
-- platform (the nil tenant id, visible in platform scope only). The MFA policy's
-- plan (0011) becomes the plan of control auth.mfa: one source of truth.
CREATE TABLE posture_remediations (
  tenant_id uuid NOT NULL,
  control_id text NOT NULL CHECK (control_id ~ '^[a-z0-9_]+(\.[a-z0-9_]+)+$' AND length(control_id) <= 100),
  -- An active member who may manage posture (a platform staff member for the platform);
  -- named only here and in the console's list, never in a posture or a snapshot.
  owner_user_id uuid NOT NULL REFERENCES users (id),
  target_date date NOT NULL,
  compensating_controls text NOT NULL CHECK (length(compensating_controls) BETWEEN 1 AND 2000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, control_id)
);

ALTER TABLE posture_remediations ENABLE ROW LEVEL SECURITY;
ALTER TABLE posture_remediations FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON posture_remediations TO attest_app;
CREATE POLICY posture_remediations_platform ON posture_remediations USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY posture_remediations_tenant ON posture_remediations USING (tenant_id = attest_tenant_id()) WITH CHECK (tenant_id = attest_tenant_id());

INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, status, created_at, updated_at)
  SELECT tenant_id, 'auth.mfa', owner_user_id, target_date, compensating_controls, 'open', updated_at, updated_at FROM mfa_remediation_plans;
DROP TABLE mfa_remediation_plans;

-- Incidents are run by the platform's staff and may affect several tenants, so an
-- incident is a platform row; what ties it to a tenant is incident_tenants (tenant_id
-- leading its key). Platform scope reads and writes everything. A tenant scope can
-- only read, and only through that link: the incidents linked to it, its own link
-- row (so affectedTenantIds shows only itself), its own notices, and the timeline
-- entries that are about the whole incident or about it — never another tenant's.

-- One change sequence for every incident write. Each writing transaction bumps
-- this single row, whose lock it holds until commit: sequence order is commit
-- order, so a reader that has seen change N can never later find a change < N.
CREATE TABLE incident_change_counter (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq bigint NOT NULL CHECK (last_seq >= 0)
);
INSERT INTO incident_change_counter (id, last_seq) VALUES (true, 0);

CREATE TABLE incidents (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL CHECK (length(description) <= 20000),
  severity text NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
  status text NOT NULL CHECK (status IN ('detected', 'triaged', 'contained', 'resolved', 'review_published')),
  commander_id uuid,
  assignee_ids uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(assignee_ids) <= 50),
  personal_data boolean NOT NULL,
  -- Facts (times something happened). Deadlines are computed from them and the policy, never stored.
  detected_at timestamptz NOT NULL,
  aware_at timestamptz,
  verified_at timestamptz,
  classified_at timestamptz,
  resolved_at timestamptz,
  review_published_at timestamptz,
  -- What notices say beyond the incident itself.
  likely_impact text NOT NULL DEFAULT '' CHECK (length(likely_impact) <= 5000),
  mitigation text NOT NULL DEFAULT '' CHECK (length(mitigation) <= 5000),
  contact_point text NOT NULL DEFAULT '' CHECK (length(contact_point) <= 500),
  -- Optimistic concurrency: field edits carry the version they were based on.
  version integer NOT NULL CHECK (version > 0),
  -- The last change (incident_change_counter) that touched the incident or its timeline or notices.
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX incidents_change_seq ON incidents (change_seq);

CREATE TABLE incident_tenants (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  PRIMARY KEY (tenant_id, incident_id)
);
CREATE INDEX incident_tenants_incident ON incident_tenants (incident_id);

-- Append-only: entries are never changed or removed.
CREATE TABLE incident_timeline (
  incident_id uuid NOT NULL REFERENCES incidents (id),
  id uuid NOT NULL,
  -- When the responder made the edit (offline edits keep their own time).
  at timestamptz NOT NULL,
  actor_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('note', 'status_change', 'severity_change', 'assignment', 'notification_sent')),
  -- The tenant a notification_sent entry names; null for entries about the whole incident.
  tenant_id uuid,
  -- The kind's own fields (text; from/to; commanderId/assigneeIds; notice/tenantId).
  body jsonb NOT NULL,
  change_seq bigint NOT NULL,
  PRIMARY KEY (incident_id, id),
  CHECK ((kind = 'notification_sent') = (tenant_id IS NOT NULL))
);
CREATE INDEX incident_timeline_change ON incident_timeline (incident_id, change_seq);

-- One notice per affected tenant and kind. While unsent, its text is drafted live
-- from the incident; marking it sent freezes the text and stamps sent_at (the
-- earliest, if two responders marked it offline).
CREATE TABLE incident_notices (
  tenant_id uuid NOT NULL,
  incident_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('customer', 'regulator', 'breach')),
  sent_text text,
  sent_at timestamptz,
  sent_by uuid,
  change_seq bigint NOT NULL,
  PRIMARY KEY (tenant_id, incident_id, kind),
  FOREIGN KEY (tenant_id, incident_id) REFERENCES incident_tenants (tenant_id, incident_id),
  CHECK ((sent_at IS NULL) = (sent_text IS NULL))
);

-- An edit is applied once per idempotency key: the key, a hash of what was sent
-- with it (by whom, to which incident, the edit) and the result returned. Refused
-- edits leave no row: the refusal rolls back with everything else.
CREATE TABLE incident_edit_requests (
  idempotency_key uuid PRIMARY KEY,
  request_sha256 text NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$'),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE incident_change_counter ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_change_counter FORCE ROW LEVEL SECURITY;
ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incidents FORCE ROW LEVEL SECURITY;
ALTER TABLE incident_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE incident_timeline ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_timeline FORCE ROW LEVEL SECURITY;
ALTER TABLE incident_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_notices FORCE ROW LEVEL SECURITY;
ALTER TABLE incident_edit_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_edit_requests FORCE ROW LEVEL SECURITY;

GRANT SELECT, UPDATE (last_seq) ON incident_change_counter TO attest_app;
GRANT SELECT, INSERT ON incidents TO attest_app;
GRANT UPDATE (severity, status, commander_id, assignee_ids, classified_at, resolved_at, review_published_at, version, change_seq, updated_at)
  ON incidents TO attest_app;
GRANT SELECT, INSERT ON incident_tenants TO attest_app;
GRANT SELECT, INSERT ON incident_timeline TO attest_app;
GRANT SELECT, INSERT ON incident_notices TO attest_app;
GRANT UPDATE (sent_text, sent_at, sent_by, change_seq) ON incident_notices TO attest_app;
GRANT SELECT, INSERT ON incident_edit_requests TO attest_app;
GRANT UPDATE (result) ON incident_edit_requests TO attest_app;

CREATE POLICY incident_change_counter_platform ON incident_change_counter USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY incidents_platform ON incidents USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY incident_tenants_platform ON incident_tenants USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY incident_timeline_platform ON incident_timeline USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY incident_notices_platform ON incident_notices USING (attest_is_platform()) WITH CHECK (attest_is_platform());
CREATE POLICY incident_edit_requests_platform ON incident_edit_requests USING (attest_is_platform()) WITH CHECK (attest_is_platform());

-- Tenant scope: read-only, through the link.
CREATE POLICY incident_tenants_tenant ON incident_tenants FOR SELECT
  USING (tenant_id = attest_tenant_id());
CREATE POLICY incidents_tenant ON incidents FOR SELECT
  USING (EXISTS (SELECT 1 FROM incident_tenants it WHERE it.incident_id = incidents.id AND it.tenant_id = attest_tenant_id()));
CREATE POLICY incident_timeline_tenant ON incident_timeline FOR SELECT
  USING (
    (tenant_id IS NULL OR tenant_id = attest_tenant_id())
    AND EXISTS (SELECT 1 FROM incident_tenants it WHERE it.incident_id = incident_timeline.incident_id AND it.tenant_id = attest_tenant_id())
  );
CREATE POLICY incident_notices_tenant ON incident_notices FOR SELECT
  USING (tenant_id = attest_tenant_id());

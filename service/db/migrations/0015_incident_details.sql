-- The facts of an incident may be corrected after it was opened (a details edit):
-- title, description, personal-data flag, awareness and verification times, and
-- which tenants it affects. A tenant no longer affected loses its link and its
-- notices (the service refuses that once one of them was sent), so its scope
-- stops seeing the incident. Timeline entries stay append-only.
GRANT UPDATE (title, description, personal_data, aware_at, verified_at) ON incidents TO attest_app;
GRANT DELETE ON incident_tenants TO attest_app;
GRANT DELETE ON incident_notices TO attest_app;

ALTER TABLE incident_timeline DROP CONSTRAINT incident_timeline_kind_check;
ALTER TABLE incident_timeline ADD CONSTRAINT incident_timeline_kind_check
  CHECK (kind IN ('note', 'status_change', 'severity_change', 'assignment', 'notification_sent', 'details_change'));

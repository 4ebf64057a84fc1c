-- A requester may withdraw their own pending request: it ends as 'withdrawn', decided by them,
-- and nobody can approve it afterwards.
ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_status_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_status_check
  CHECK (status IN ('pending', 'approved', 'denied', 'expired', 'withdrawn'));

-- Issue 14: cutting off a platform staff member's whole account is an approved
-- action (a second platform admin decides; APPROVAL_POLICY.cutOffStaffNeedsApproval).
ALTER TABLE approval_requests DROP CONSTRAINT IF EXISTS approval_requests_action_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_action_check
  CHECK (action IN ('sessions.revoke_tenant', 'members.bulk_remove', 'platform_role.grant', 'tenant.suspend', 'tenant.reinstate', 'account.cut_off'));

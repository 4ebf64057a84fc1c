/**
 * Approval policy numbers: declared once, enforced by the service, shown by the
 * console. Durations in seconds unless named in hours.
 */
const HOUR = 60 * 60;

export const APPROVAL_POLICY = {
  /** A request not decided within this time expires; the action never runs. */
  requestTtl: 24 * HOUR,
  /** A platform role granted through approval lasts this long unless the request asks for less or more… */
  defaultElevationHours: 8,
  /** …but never longer than this. */
  maxElevationHours: 72,
  /** Most members one bulk removal may name. */
  maxBulkRemoval: 500,
  /**
   * Cutting off the whole account of someone holding a platform role needs another
   * platform admin's approval (one staff member must not silently lock out another);
   * anyone else's account is cut off at once, as a compromise demands.
   */
  cutOffStaffNeedsApproval: true,
} as const;

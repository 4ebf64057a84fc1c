/**
 * Error codes of a call that never got a usable answer from the service (down,
 * unreachable, someone else answering, an answer we cannot read). An offline copy
 * may stand in, and an edit stays pending; any other code is the service's word.
 */
export const NOT_REACHED_CODES: ReadonlySet<string> = new Set(['service_unreachable', 'certificate_mismatch', 'unexpected_response', 'response_too_large']);

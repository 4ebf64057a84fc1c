import { groupFingerprint, type ConnectionTarget } from '../../../shared/connection/connection-file';
import { CertificateMismatchError } from '../client/certificate-mismatch-error';
import { createServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import { CoreError, isCoreError } from '../core-error';

const NOTHING_SAVED = 'Nothing was saved.';

/**
 * Connects to the service with the pin given and asks for its health: resolves when the
 * service that answered holds the pinned key; otherwise says what went wrong and what to do.
 */
export async function checkServicePin<T extends ConnectionTarget>(target: T, options: { timeoutMs: number; userAgent: string }): Promise<T> {
  const host = new URL(target.serviceUrl).host;
  const client = createServiceClient({ serviceUrl: target.serviceUrl, fingerprint: target.fingerprint, timeoutMs: options.timeoutMs, userAgent: options.userAgent });
  try {
    await client.call('health');
    return target;
  } catch (error) {
    throw explain(error, host);
  } finally {
    await client.close();
  }
}

function explain(error: unknown, host: string): CoreError {
  if (error instanceof CertificateMismatchError) {
    return new CoreError(
      'certificate_mismatch',
      `The service at ${host} holds a different key than the fingerprint you gave: it presented ${groupFingerprint(error.presentedFingerprint)}, ` +
        `not ${groupFingerprint(error.expectedFingerprint)}. Check that you copied the whole fingerprint or link; if you did, do not connect: ` +
        `the connection may be intercepted. Ask your administrator for a new connection file. Nothing was sent and ${NOTHING_SAVED.toLowerCase()}`,
    );
  }
  if (isCoreError(error, 'service_unreachable')) {
    return new CoreError('service_unreachable', `${error.message.replace(/\.? Check that it is running.*$/, '')}. Check the address and port, that the service is running and that this computer can reach it, then try again. ${NOTHING_SAVED}`);
  }
  if (error instanceof ServiceError || isCoreError(error, 'unexpected_response') || isCoreError(error, 'response_too_large')) {
    return new CoreError('unexpected_response', `Something answered at ${host}, but not as an Attest service. Check the address (and the port). ${NOTHING_SAVED}`);
  }
  return error instanceof CoreError ? error : new CoreError('internal_error', `Checking ${host} failed unexpectedly. Try again. ${NOTHING_SAVED}`);
}

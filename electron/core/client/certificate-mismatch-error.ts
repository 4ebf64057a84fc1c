import { CoreError } from '../core-error';

export class CertificateMismatchError extends CoreError {
  constructor(
    readonly expectedFingerprint: string,
    readonly presentedFingerprint: string,
    readonly origin: string,
  ) {
    super(
      'certificate_mismatch',
      `The service at ${origin} presented a certificate whose key does not match the pinned fingerprint ` +
        `(expected ${expectedFingerprint}, presented ${presentedFingerprint}). Nothing was sent. ` +
        'If the service was set up again with a new key, pin its new fingerprint; otherwise the connection may be intercepted.',
    );
    this.name = 'CertificateMismatchError';
  }
}

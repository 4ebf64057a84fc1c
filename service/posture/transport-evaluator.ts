import { thresholds, type Evaluator } from './evaluator';

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** The listener's TLS options and the HSTS header as this service runs them (PostureRuntime), not as documented. */
export const transportEvaluator: Evaluator = async ({ runtime }) => {
  const minVersion = runtime.tls?.minVersion ?? 'none (plain HTTP)';
  const hstsDays = runtime.hstsMaxAgeSeconds === null ? null : Math.floor(runtime.hstsMaxAgeSeconds / 86_400);
  const tlsOk = runtime.tls !== null && VERSIONS.indexOf(runtime.tls.minVersion) >= VERSIONS.indexOf('TLSv1.2');
  const hstsOk = hstsDays !== null && hstsDays >= thresholds('transport.tls').minHstsDays;
  return { status: tlsOk && hstsOk ? 'pass' : 'fail', evidence: { minVersion, hstsDays } };
};

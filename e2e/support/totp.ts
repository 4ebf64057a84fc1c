import { generate } from 'otplib';

const PERIOD = 30;
/** The service accepts codes one step either side of now, each step only once and never an earlier one. */
const lastUsed = new Map<string, number>();

const currentStep = () => Math.floor(Date.now() / 1000 / PERIOD);

/**
 * A code the service has not seen yet for this secret, as a person would read it
 * from their app: the current step's code, or (within the ±1 step tolerance) the
 * next one; waits for the clock only when both are spent. Keeps specs well under
 * a minute even with several sign-ins.
 */
export async function freshCode(secret: string): Promise<string> {
  const wanted = Math.max(currentStep(), (lastUsed.get(secret) ?? -1) + 1);
  while (wanted > currentStep() + 1) {
    const msToNextStep = (currentStep() + 1) * PERIOD * 1000 - Date.now();
    await new Promise((r) => setTimeout(r, msToNextStep + 250));
  }
  lastUsed.set(secret, wanted);
  return generate({ secret, epoch: wanted * PERIOD + 1 });
}

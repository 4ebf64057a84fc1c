import { ConsoleConfigError, readConsoleConfig, type ConsoleConfig } from './console-config';
import { saveServiceSettings } from './service-storage';

export interface SettingsFlags {
  serviceUrl?: string;
  fingerprint?: string;
}

const sameUrl = (a: string, b: string): boolean => {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

/**
 * Settings for this launch: a fingerprint given on the command line is saved
 * (with its service URL) for the next launch; otherwise the saved ones are used.
 * A pin belongs to one service, so a saved pin is never applied to another URL.
 */
export async function resolveConsoleSettings(dir: string, flags: SettingsFlags): Promise<ConsoleConfig | null> {
  if (flags.fingerprint !== undefined) {
    const serviceUrl = flags.serviceUrl ?? (await readConsoleConfig(dir))?.serviceUrl;
    if (!serviceUrl) throw new ConsoleConfigError('A fingerprint needs a service: pass --service-url too.');
    return saveServiceSettings(dir, { serviceUrl, fingerprint: flags.fingerprint });
  }
  const saved = await readConsoleConfig(dir);
  // Nothing saved: the console opens on its Connect screen.
  if (!saved) {
    if (flags.serviceUrl !== undefined) throw new ConsoleConfigError('A service URL needs its fingerprint: pass --fingerprint too (the service prints both when it starts).');
    return null;
  }
  if (flags.serviceUrl !== undefined && !sameUrl(flags.serviceUrl, saved.serviceUrl)) {
    throw new ConsoleConfigError(
      `The saved fingerprint belongs to ${saved.serviceUrl}; pass --fingerprint for ${flags.serviceUrl} to pin that service instead.`,
    );
  }
  return saved;
}

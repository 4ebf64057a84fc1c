import { createServer } from 'node:net';

const isFree = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });

/** The first port from `wanted` on that nothing listens on (wanted itself when free), or null after `tries` ports. */
export async function firstFreePort(wanted: number, host = '127.0.0.1', tries = 20): Promise<number | null> {
  for (let port = wanted; port < Math.min(wanted + tries, 65_536); port += 1) {
    if (await isFree(port, host)) return port;
  }
  return null;
}

const isApple = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** How the primary modifier is written on this platform, for labels next to shortcuts. */
export const modKeyLabel = (key: string): string => (isApple ? `⌘${key}` : `Ctrl+${key}`);

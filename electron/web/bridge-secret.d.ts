/** A fresh per-launch bridge secret: 32 random bytes, base64url. */
export declare const createBridgeSecret: () => string;
/** Compares in time independent of where the strings differ (hashing first evens out lengths). */
export declare function bridgeSecretMatches(expected: string, presented: string): boolean;

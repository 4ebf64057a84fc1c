import { z } from 'zod';

/** Zod primitives every contract uses; declared once so they read and fail the same everywhere. */

/** An ISO 8601 date-time with an offset (the service sends UTC, `Z`). */
export const Timestamp = z.iso.datetime({ offset: true });

/** 32 bytes (a SHA-256 digest) as 64 lowercase hex characters. */
export const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 32 bytes as lowercase hex');

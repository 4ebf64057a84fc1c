import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../audit/event';
import type { Posture } from '../posture/api';

/** SHA-256 of the canonical JSON (RFC 8785) of a posture, hex: the hash its `posture.snapshot` audit event carries. */
export const postureSha256Of = (posture: Posture): string => toHex(sha256(new TextEncoder().encode(canonicalize(posture) ?? '')));

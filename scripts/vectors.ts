// `npm run vectors -- DIR`: runs every conformance vector file under DIR whose
// format it recognises through the project's own code, prints one line per
// failure and a final line `N passed, N failed`. Exit 1 on any failure or when
// nothing was recognised, 2 on a usage error. Unrecognised JSON is listed on stderr.
//
// Formats, recognised by shape (not by file name), so more files of the same
// formats can be dropped in without code changes:
//   transparency-dev/merkle inclusion and consistency proofs → shared/audit/merkle
//   Wycheproof AES-GCM (aead_test_schema_v1)                  → service/crypto/aead
//   Wycheproof Ed25519 (eddsa_verify_schema_v1)               → service/audit/ed25519
//   RFC 4226 / 6238 OTP file ({ hotp: [...], totp: [...] })    → service/identity/totp
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { verifyConsistency, verifyInclusion } from '../shared/audit/merkle';
import { ed25519Verify } from '../service/audit/ed25519';
import { gcmOpen, gcmSeal } from '../service/crypto/aead';
import { hotpCode, totpCode } from '../service/identity/totp';

export interface CaseFailure {
  readonly file: string;
  readonly caseId: string;
  readonly expected: string;
  readonly got: string;
}

export interface VectorReport {
  passed: number;
  failed: number;
  readonly failures: CaseFailure[];
  readonly skipped: Array<{ file: string; why: string }>;
  readonly notes: string[];
}

// ---- shapes ----

const b64 = z.string();
const proofList = z.array(b64).nullable();
const size = z.number();

const InclusionFile = z.object({ leafIdx: size, treeSize: size, root: b64, leafHash: b64, proof: proofList, wantErr: z.boolean(), desc: z.string().optional() });
const ConsistencyFile = z.object({
  size1: size,
  size2: size,
  root1: b64,
  root2: b64,
  proof: proofList,
  wantErr: z.boolean(),
  desc: z.string().optional(),
});

const WycheproofResult = z.enum(['valid', 'invalid', 'acceptable']);
const hex = z.string().regex(/^([0-9a-fA-F]{2})*$/);
const AesGcmFile = z.object({
  algorithm: z.literal('AES-GCM'),
  schema: z.string().startsWith('aead_test_schema_v1'),
  testGroups: z.array(
    z.object({
      tests: z.array(z.object({ tcId: z.number(), key: hex, iv: hex, aad: hex, msg: hex, ct: hex, tag: hex, result: WycheproofResult })),
    }),
  ),
});
const Ed25519File = z.object({
  algorithm: z.literal('EDDSA'),
  schema: z.string().startsWith('eddsa_verify_schema_v1'),
  testGroups: z.array(
    z.object({
      publicKey: z.object({ curve: z.string(), pk: hex }),
      tests: z.array(z.object({ tcId: z.number(), msg: hex, sig: hex, result: WycheproofResult })),
    }),
  ),
});

const OtpAlgorithm = z.enum(['SHA1', 'SHA256', 'SHA512']);
const OtpFile = z
  .object({
    hotp: z.array(z.object({ algorithm: OtpAlgorithm, secretAscii: z.string(), counter: z.number().int().nonnegative(), digits: z.number(), otp: z.string() })).optional(),
    totp: z
      .array(
        z.object({
          algorithm: OtpAlgorithm,
          secretAscii: z.string(),
          unixTime: z.number().int().nonnegative(),
          step: z.number().int().positive(),
          digits: z.number(),
          otp: z.string(),
        }),
      )
      .optional(),
  })
  .refine((f) => (f.hotp?.length ?? 0) + (f.totp?.length ?? 0) > 0);

// ---- runners ----

const fromB64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type Record_ = (caseId: string, ok: boolean, expected: string, got: string) => void;

const runInclusion = (v: z.infer<typeof InclusionFile>, record: Record_): void => {
  const r = verifyInclusion(fromB64(v.leafHash), v.leafIdx, v.treeSize, v.proof?.map(fromB64), fromB64(v.root));
  const want = v.wantErr ? 'rejected' : 'verified';
  const got = r.ok ? 'verified' : `rejected (${r.reason})`;
  record(v.desc ?? 'case', r.ok !== v.wantErr, want, got);
};

const runConsistency = (v: z.infer<typeof ConsistencyFile>, record: Record_): void => {
  const r = verifyConsistency(v.size1, v.size2, v.proof?.map(fromB64), fromB64(v.root1), fromB64(v.root2));
  const want = v.wantErr ? 'rejected' : 'verified';
  const got = r.ok ? 'verified' : `rejected (${r.reason})`;
  record(v.desc ?? 'case', r.ok !== v.wantErr, want, got);
};

/** A Wycheproof verdict: valid must be accepted, invalid rejected; acceptable passes either way (with a note). */
const wycheproof = (
  result: z.infer<typeof WycheproofResult>,
  accepted: boolean,
  detail: string,
  caseId: string,
  record: Record_,
  acceptable: string[],
): void => {
  if (result === 'acceptable') {
    acceptable.push(`${caseId}:${accepted ? 'accepted' : 'rejected'}`);
    record(caseId, true, 'either', accepted ? 'accepted' : 'rejected');
    return;
  }
  const want = result === 'valid' ? 'accepted' : 'rejected';
  record(caseId, (result === 'valid') === accepted, want, accepted ? 'accepted' : `rejected (${detail})`);
};

const runAesGcm = (v: z.infer<typeof AesGcmFile>, record: Record_, acceptable: string[]): void => {
  for (const group of v.testGroups) {
    for (const t of group.tests) {
      const [key, iv, aad, msg, ct, tag] = [t.key, t.iv, t.aad, t.msg, t.ct, t.tag].map(fromHex) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      let accepted = false;
      let detail = '';
      try {
        const plaintext = gcmOpen(key, iv, ct, tag, aad);
        if (!same(plaintext, msg)) detail = 'decrypted to a different plaintext';
        else {
          // A valid case must also encrypt to exactly the given ciphertext and tag.
          const sealed = gcmSeal(key, iv, msg, aad, tag.length);
          if (!same(sealed.ciphertext, ct) || !same(sealed.tag, tag)) detail = 'encryption gives a different ciphertext or tag';
          else accepted = true;
        }
      } catch (e) {
        detail = errorText(e);
      }
      wycheproof(t.result, accepted, detail, `tcId ${t.tcId}`, record, acceptable);
    }
  }
};

const runEd25519 = (v: z.infer<typeof Ed25519File>, record: Record_, acceptable: string[], notes: string[], file: string): void => {
  for (const group of v.testGroups) {
    if (group.publicKey.curve !== 'edwards25519') {
      notes.push(`${file}: skipped a group on curve ${group.publicKey.curve} (only edwards25519 is implemented)`);
      continue;
    }
    const pk = fromHex(group.publicKey.pk);
    for (const t of group.tests) {
      const accepted = ed25519Verify(pk, fromHex(t.msg), fromHex(t.sig));
      wycheproof(t.result, accepted, 'signature not valid', `tcId ${t.tcId}`, record, acceptable);
    }
  }
};

type Digits = Parameters<typeof hotpCode>[2]['digits'];
const isDigits = (d: number): d is Digits => d === 6 || d === 7 || d === 8;

const runOtp = async (v: z.infer<typeof OtpFile>, record: Record_): Promise<void> => {
  const check = async (caseId: string, digits: number, want: string, code: (d: Digits) => Promise<string>): Promise<void> => {
    if (!isDigits(digits)) return record(caseId, false, want, `unsupported digit count ${digits}`);
    try {
      const got = await code(digits);
      record(caseId, got === want, want, got);
    } catch (e) {
      record(caseId, false, want, `error: ${errorText(e)}`);
    }
  };
  const secret = (ascii: string): Uint8Array => new TextEncoder().encode(ascii);
  for (const [i, t] of (v.hotp ?? []).entries()) {
    await check(`hotp[${i}] ${t.algorithm} counter ${t.counter}`, t.digits, t.otp, (digits) =>
      hotpCode(secret(t.secretAscii), t.counter, { algorithm: t.algorithm, digits }),
    );
  }
  for (const [i, t] of (v.totp ?? []).entries()) {
    await check(`totp[${i}] ${t.algorithm} t=${t.unixTime}`, t.digits, t.otp, (digits) =>
      totpCode(secret(t.secretAscii), t.unixTime, { algorithm: t.algorithm, digits, period: t.step }),
    );
  }
};

// ---- walking ----

const jsonFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const st = statSync(path);
      return st.isDirectory() ? jsonFiles(path) : st.isFile() && name.toLowerCase().endsWith('.json') ? [path] : [];
    });

export const runVectors = async (dir: string): Promise<VectorReport> => {
  const report: VectorReport = { passed: 0, failed: 0, failures: [], skipped: [], notes: [] };
  for (const path of jsonFiles(dir)) {
    const file = relative(dir, path) || path;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      report.skipped.push({ file, why: `not JSON: ${errorText(e)}` });
      continue;
    }
    const record: Record_ = (caseId, ok, expected, got) => {
      if (ok) report.passed++;
      else {
        report.failed++;
        report.failures.push({ file, caseId, expected, got });
      }
    };
    const acceptable: string[] = [];
    let parsed;
    if ((parsed = InclusionFile.safeParse(data)).success) runInclusion(parsed.data, record);
    else if ((parsed = ConsistencyFile.safeParse(data)).success) runConsistency(parsed.data, record);
    else if ((parsed = AesGcmFile.safeParse(data)).success) runAesGcm(parsed.data, record, acceptable);
    else if ((parsed = Ed25519File.safeParse(data)).success) runEd25519(parsed.data, record, acceptable, report.notes, file);
    else if ((parsed = OtpFile.safeParse(data)).success) await runOtp(parsed.data, record);
    else {
      report.skipped.push({ file, why: 'format not recognised' });
      continue;
    }
    if (acceptable.length > 0) {
      report.notes.push(`${file}: ${acceptable.length} "acceptable" case(s) counted as passed whichever way they went: ${acceptable.join(', ')}`);
    }
  }
  return report;
};

const main = async (): Promise<number> => {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error('usage: npm run vectors -- DIR');
    return 2;
  }
  const dir = resolve(args[0]!);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    console.error(`vectors: ${args[0]} is not a directory`);
    console.error('usage: npm run vectors -- DIR');
    return 2;
  }
  const report = await runVectors(dir);
  for (const s of report.skipped) console.error(`skipped ${s.file}: ${s.why}`);
  for (const n of report.notes) console.error(`note: ${n}`);
  for (const f of report.failures) console.log(`FAIL ${f.file} [${f.caseId}]: expected ${f.expected}, got ${f.got}`);
  if (report.passed + report.failed === 0) console.error('vectors: no recognised test cases under this directory');
  console.log(`${report.passed} passed, ${report.failed} failed`);
  return report.failed > 0 || report.passed === 0 ? 1 : 0;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}

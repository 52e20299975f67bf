import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { START, type EventStore, type Position } from '@waypoint/eventstore';

/**
 * Signed digests of the whole store, kept outside the database: at intervals, the head (revision
 * and hash) of every stream and the log position, signed with Ed25519 and appended as one JSON
 * line to a file. Whoever can rewrite the database cannot rewrite a signed line they cannot sign,
 * so verification compares the store with the latest digest and names truncated tails, deleted
 * streams and recomputed chains (a head hash that differs at the same revision).
 */

export interface StreamHead {
  readonly stream: string;
  readonly revision: number;
  readonly hash: string;
}

export interface DigestBody {
  readonly version: 1;
  readonly createdAt: string;
  /** The log position the digest covers: every event up to it. */
  readonly position: Position;
  readonly heads: readonly StreamHead[];
}

export interface SignedDigest extends DigestBody {
  readonly keyId: string;
  /** Base64url Ed25519 signature over the canonical body. */
  readonly signature: string;
}

export interface DigestKeys {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Keys from a PEM (PKCS#8) Ed25519 private key, as configured. */
export function digestKeysFromPem(keyId: string, privateKeyPem: string): DigestKeys {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('The digest key must be Ed25519');
  return { keyId, privateKey, publicKey: createPublicKey(privateKey) };
}

/** The body as signed: fixed key order, heads sorted by stream. */
export function canonicalBody(body: DigestBody): string {
  const heads = [...body.heads].sort((a, b) =>
    a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0,
  );
  return JSON.stringify({
    version: body.version,
    createdAt: body.createdAt,
    position: body.position,
    heads: heads.map((head) => ({ stream: head.stream, revision: head.revision, hash: head.hash })),
  });
}

/** The head of every stream, continuing from a previous digest's heads when there is one. */
export async function currentHeads(
  store: EventStore,
  previous?: Pick<DigestBody, 'heads' | 'position'>,
): Promise<{ heads: StreamHead[]; position: Position }> {
  const heads = new Map((previous?.heads ?? []).map((head) => [head.stream, head]));
  let position = previous?.position ?? START;
  for (;;) {
    const batch = await store.readAllBatch({ from: position, maxCount: 1_000 });
    for (const event of batch.events)
      heads.set(event.stream, { stream: event.stream, revision: event.revision, hash: event.hash });
    position = batch.position;
    if (batch.endOfLog || batch.events.length === 0) break;
  }
  return { heads: [...heads.values()], position };
}

export function signDigest(body: DigestBody, keys: DigestKeys): SignedDigest {
  const signature = sign(null, Buffer.from(canonicalBody(body)), keys.privateKey).toString(
    'base64url',
  );
  return { ...body, keyId: keys.keyId, signature };
}

export function digestSignatureValid(digest: SignedDigest, publicKey: KeyObject): boolean {
  return verify(
    null,
    Buffer.from(canonicalBody(digest)),
    publicKey,
    Buffer.from(digest.signature, 'base64url'),
  );
}

/** The digests file: append-only JSON lines. */
export class DigestLog {
  constructor(readonly path: string) {}

  async append(digest: SignedDigest): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(digest)}\n`, { encoding: 'utf8', flag: 'a' });
  }

  async latest(): Promise<SignedDigest | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const last = text.trimEnd().split('\n').at(-1);
    return last ? (JSON.parse(last) as SignedDigest) : undefined;
  }
}

/** Computes, signs and appends a digest of the store as it is now. */
export async function publishDigest(
  store: EventStore,
  log: DigestLog,
  keys: DigestKeys,
  now: Date,
): Promise<SignedDigest> {
  const previous = await log.latest();
  const usable = previous && digestSignatureValid(previous, keys.publicKey) ? previous : undefined;
  const { heads, position } = await currentHeads(store, usable);
  const digest = signDigest({ version: 1, createdAt: now.toISOString(), position, heads }, keys);
  await log.append(digest);
  return digest;
}

export type DigestProblem =
  | { readonly kind: 'deleted'; readonly stream: string; readonly revision: number }
  | {
      readonly kind: 'truncated';
      readonly stream: string;
      readonly revision: number;
      readonly actualRevision: number;
    }
  | { readonly kind: 'recomputed'; readonly stream: string; readonly revision: number }
  | {
      readonly kind: 'chain_broken';
      readonly stream: string;
      readonly revision: number;
      readonly reason: string;
    };

export type DigestVerification =
  | { readonly status: 'no_digest' }
  | { readonly status: 'bad_signature'; readonly createdAt: string }
  | {
      readonly status: 'ok' | 'altered';
      readonly createdAt: string;
      readonly position: Position;
      readonly streamsChecked: number;
      readonly problems: readonly DigestProblem[];
    };

/** Checks the store against the latest digest: every head it names must still be there, unchanged. */
export async function verifyAgainstLatestDigest(
  store: EventStore,
  log: DigestLog,
  publicKey: KeyObject,
): Promise<DigestVerification> {
  const digest = await log.latest();
  if (!digest) return { status: 'no_digest' };
  if (!digestSignatureValid(digest, publicKey))
    return { status: 'bad_signature', createdAt: digest.createdAt };
  const problems: DigestProblem[] = [];
  for (const head of digest.heads) {
    const actual = await store.streamRevision(head.stream);
    if (actual === null) {
      problems.push({ kind: 'deleted', stream: head.stream, revision: head.revision });
      continue;
    }
    if (actual < head.revision) {
      problems.push({
        kind: 'truncated',
        stream: head.stream,
        revision: head.revision,
        actualRevision: actual,
      });
      continue;
    }
    let hash: string | undefined;
    for await (const event of store.readStream(head.stream, { from: head.revision, maxCount: 1 }))
      hash = event.hash;
    if (hash !== head.hash)
      problems.push({ kind: 'recomputed', stream: head.stream, revision: head.revision });
    const chain = await store.verifyStream(head.stream);
    if (!chain.ok)
      problems.push({
        kind: 'chain_broken',
        stream: head.stream,
        revision: chain.brokenAt.revision,
        reason: chain.brokenAt.reason,
      });
  }
  return {
    status: problems.length === 0 ? 'ok' : 'altered',
    createdAt: digest.createdAt,
    position: digest.position,
    streamsChecked: digest.heads.length,
    problems,
  };
}

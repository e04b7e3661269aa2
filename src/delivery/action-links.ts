// Buttons for people who are not in a chat: signed links. A link names the person, the command line the
// button runs and when it expires, signed with HMAC-SHA256; the bot's HTTP server shows what it will do
// on GET and runs it on POST (src/http/action-links.ts). Nothing is stored until a link is used.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ButtonInput } from '../core/reply.ts';
import type { Db } from '../persistence/database.ts';

/** How long a button link in an e-mail works: two weeks covers a nudge read after a holiday. */
export const LINK_LIFETIME_MS = 14 * 86_400_000;

export type LinkPurpose = 'act' | 'unsubscribe';

export interface LinkClaims {
  /** Random, unique: a used link is remembered by it. */
  id: string;
  purpose: LinkPurpose;
  personId: string;
  /** The command line it runs as the person, e.g. "milestone done A2.2". */
  command: string;
  /** What the button said ("Mark done"). */
  label: string;
  /** Epoch milliseconds; unsubscribe links do not expire (RFC 8058 asks them to keep working). */
  expiresAt: number | null;
  /** Values the link's page asks for before running the command (a new date, a state of play). */
  inputs?: LinkInput[];
}

export type LinkInput = Pick<ButtonInput, 'name' | 'label' | 'kind'>;

interface Wire {
  i: string;
  k: LinkPurpose;
  p: string;
  c: string;
  l: string;
  x: number | null;
  f?: LinkInput[];
}

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(`partnerbot-link:v1:${payload}`).digest('base64url');

export function signLink(secret: string, claims: Omit<LinkClaims, 'id'>): { token: string; id: string } {
  const id = randomBytes(12).toString('base64url');
  const wire: Wire = { i: id, k: claims.purpose, p: claims.personId, c: claims.command, l: claims.label, x: claims.expiresAt, ...(claims.inputs ? { f: claims.inputs } : {}) };
  const payload = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return { token: `${payload}.${sign(secret, payload)}`, id };
}

export type Verified = { claims: LinkClaims } | { problem: 'forged' | 'expired' };

/** The claims of a token this bot signed and that has not expired; anything else is refused. */
export function verifyLink(secret: string, token: string, now: Date): Verified {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { problem: 'forged' };
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'forged' };
  const wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Wire;
  if (wire.x !== null && wire.x <= now.getTime()) return { problem: 'expired' };
  return { claims: { id: wire.i, purpose: wire.k, personId: wire.p, command: wire.c, label: wire.l, expiresAt: wire.x, ...(wire.f ? { inputs: wire.f } : {}) } };
}

const SECRET_NAME = 'action-link-signing-key';

/**
 * The signing key: PARTNERBOT_LINK_SECRET when set, else one made on first use and kept in the
 * database, so links stay valid across restarts and replicas agree on it.
 */
export async function linkSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.instanceSecret.createMany({ data: [{ name: SECRET_NAME, value: randomBytes(32).toString('hex') }], skipDuplicates: true });
  return (await db.instanceSecret.findUniqueOrThrow({ where: { name: SECRET_NAME } })).value;
}

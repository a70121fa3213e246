import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { jobIdSchema } from '../jobs/job.js';

/**
 * The Vary (Region) editor link: `<public base>/region/<token>`, where the token is the grant
 * (which member, which job and image, until when) and its HMAC-SHA256 under the bot's secret.
 * A link is valid for that member and that image only: changing any part of the grant breaks the
 * signature, and an expired grant is refused even with a good one. The member's locale and whether
 * they were a moderator when they clicked ride along, signed, for the answers and the allowance.
 */
export const regionGrantSchema = z.strictObject({
  /** The job whose image is repainted. */
  job: jobIdSchema,
  index: z.number().int().min(1).max(4),
  /** The member the link was made for. */
  user: z.string().regex(/^\d{1,20}$/),
  /** Expiry, in milliseconds since the epoch. */
  expires: z.number().int().positive(),
  locale: z.string().max(16).optional(),
  moderator: z.boolean().optional(),
});
export type RegionGrant = z.infer<typeof regionGrantSchema>;

export type LinkRefusal = 'malformed' | 'signature' | 'expired';
export type LinkCheck = { ok: true; grant: RegionGrant } | { ok: false; refusal: LinkRefusal };

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,600}\.[A-Za-z0-9_-]{43}$/;

export class RegionLinks {
  private readonly key: Buffer;

  /** `secret` absent: a random key, for one process whose links need not outlive it. */
  constructor(
    secret: string | undefined,
    readonly minutes: number,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  /** A token for a grant, valid `minutes` from `now`. */
  sign(grant: Omit<RegionGrant, 'expires'>, now: number): string {
    const payload = Buffer.from(JSON.stringify({ ...grant, expires: now + this.minutes * 60_000 })).toString(
      'base64url',
    );
    return `${payload}.${this.mac(payload)}`;
  }

  /** Checks a token: well formed, signed by this key, and not expired at `now`. */
  verify(token: string, now: number): LinkCheck {
    if (!TOKEN_PATTERN.test(token)) return { ok: false, refusal: 'malformed' };
    const [payload = '', signature = ''] = token.split('.');
    const expected = Buffer.from(this.mac(payload));
    if (!timingSafeEqual(expected, Buffer.from(signature))) return { ok: false, refusal: 'signature' };
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, refusal: 'malformed' };
    }
    const grant = regionGrantSchema.safeParse(decoded);
    if (!grant.success) return { ok: false, refusal: 'malformed' };
    if (grant.data.expires <= now) return { ok: false, refusal: 'expired' };
    return { ok: true, grant: grant.data };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(`region-link:${payload}`).digest('base64url');
  }
}

/** The editor page's address for a token. */
export function regionEditorUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/region/${token}`;
}

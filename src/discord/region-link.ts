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

/**
 * A Vary (Region) mask the provider fetches (AceData's `mask` URL): which region job, the size of
 * the image it masks, and until when. The mask itself is drawn from the job's stored region on
 * each fetch, so the link needs no state of its own.
 */
export const maskGrantSchema = z.strictObject({
  job: jobIdSchema,
  width: z.number().int().min(1).max(16_384),
  height: z.number().int().min(1).max(16_384),
  expires: z.number().int().positive(),
});
export type MaskGrant = z.infer<typeof maskGrantSchema>;

/**
 * How long a mask link lives: enough for a provider to queue and run the task (AceData's relax mode
 * takes minutes; its MCP client waits up to 8), short enough that an old link shows nothing.
 */
export const MASK_LINK_MINUTES = 60;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,600}\.[A-Za-z0-9_-]{43}$/;

type Checked<T> = { ok: true; grant: T } | { ok: false; refusal: LinkRefusal };

/** A grant as `<base64url JSON>.<HMAC-SHA256>`, signed for one purpose so tokens of one kind never pass as another. */
class GrantSigner<T extends { expires: number }> {
  constructor(
    private readonly key: Buffer,
    private readonly purpose: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  sign(grant: T): string {
    const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string, now: number): Checked<T> {
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
    const grant = this.schema.safeParse(decoded);
    if (!grant.success) return { ok: false, refusal: 'malformed' };
    if (grant.data.expires <= now) return { ok: false, refusal: 'expired' };
    return { ok: true, grant: grant.data };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(`${this.purpose}:${payload}`).digest('base64url');
  }
}

export class RegionLinks {
  private readonly links: GrantSigner<RegionGrant>;
  private readonly masks: GrantSigner<MaskGrant>;

  /** `secret` absent: a random key, for one process whose links need not outlive it. */
  constructor(
    secret: string | undefined,
    readonly minutes: number,
  ) {
    const key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
    this.links = new GrantSigner(key, 'region-link', regionGrantSchema);
    this.masks = new GrantSigner(key, 'region-mask', maskGrantSchema);
  }

  /** A token for a grant, valid `minutes` from `now`. */
  sign(grant: Omit<RegionGrant, 'expires'>, now: number): string {
    return this.links.sign({ ...grant, expires: now + this.minutes * 60_000 });
  }

  /** Checks a token: well formed, signed by this key, and not expired at `now`. */
  verify(token: string, now: number): LinkCheck {
    return this.links.verify(token, now);
  }

  /** A token for a region job's mask of `size`, valid MASK_LINK_MINUTES from `now`. */
  signMask(grant: Omit<MaskGrant, 'expires'>, now: number): string {
    return this.masks.sign({ ...grant, expires: now + MASK_LINK_MINUTES * 60_000 });
  }

  verifyMask(token: string, now: number): Checked<MaskGrant> {
    return this.masks.verify(token, now);
  }
}

/** The editor page's address for a token. */
export function regionEditorUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/region/${token}`;
}

/** The address of a region job's mask PNG for a token (see regionEditorRoutes). */
export function regionMaskUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/region-mask/${token}.png`;
}

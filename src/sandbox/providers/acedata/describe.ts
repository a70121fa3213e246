import sharp from 'sharp';
import { z } from 'zod';
export { fetchImage, type Fetched } from '../kit/fetch-image.js';

/**
 * AceData's `/midjourney/describe` and `/midjourney/shorten` as the simulator does them
 * (CONTRACTS.md §D: `{image_url}` → `{descriptions:[4 strings]}`, `{prompt}` → `{prompts:[…]}`).
 * The describe fetches the image as AceData must, so a link the provider cannot reach fails here
 * too; the four prompts come from what the image really is (its colour, brightness and shape).
 * Midjourney numbers its prompts with keycap emoji, and so do these.
 */

export const describeRequestSchema = z.object({ image_url: z.url({ protocol: /^https?$/ }) }).loose();
export const shortenRequestSchema = z.object({ prompt: z.string().trim().min(1) }).loose();

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];

const COLOURS: [string, [number, number, number]][] = [
  ['red', [200, 50, 50]],
  ['green', [50, 180, 60]],
  ['blue', [50, 60, 200]],
  ['yellow', [210, 200, 50]],
  ['teal', [50, 190, 190]],
  ['purple', [140, 60, 170]],
  ['orange', [230, 140, 40]],
  ['grey', [128, 128, 128]],
  ['black', [15, 15, 15]],
  ['white', [240, 240, 240]],
];

function colourName([r, g, b]: [number, number, number]): string {
  let best = COLOURS[0]!;
  let distance = Infinity;
  for (const candidate of COLOURS) {
    const [cr, cg, cb] = candidate[1];
    const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    if (d < distance) [best, distance] = [candidate, d];
  }
  return best[0];
}

function ratio(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(width, height) || 1;
  return `${width / divisor}:${height / divisor}`;
}

/** Four numbered prompts for an image, or why it is not one. */
export async function describeImage(bytes: Buffer): Promise<{ ok: true; descriptions: string[] } | { ok: false }> {
  try {
    const image = sharp(bytes);
    const [metadata, stats] = await Promise.all([image.metadata(), image.stats()]);
    const { r, g, b } = stats.dominant;
    const colour = colourName([r, g, b]);
    const width = metadata.width ?? 1;
    const height = metadata.height ?? 1;
    const shape = width > height ? 'a wide' : width < height ? 'a tall' : 'a square';
    const light = stats.channels.reduce((sum, channel) => sum + channel.mean, 0) / stats.channels.length > 128;
    const aspect = `--ar ${ratio(width, height)}`;
    const descriptions = [
      `${shape} field of ${colour}, flat colour, minimalist ${light ? 'bright' : 'dark'} abstract ${aspect}`,
      `${colour} colour study, smooth gradient, soft studio lighting ${aspect}`,
      `an abstract ${colour} texture, ${light ? 'pastel' : 'moody'} tones, colour field painting ${aspect}`,
      `minimalist ${colour} wallpaper, simple and clean, high resolution ${aspect}`,
    ];
    return { ok: true, descriptions: descriptions.map((text, index) => `${KEYCAPS[index]} ${text}`) };
  } catch {
    return { ok: false };
  }
}

const FILLER = new Set(['a', 'an', 'the', 'of', 'with', 'and', 'very', 'in', 'on', 'at', 'is', 'that', 'by', 'for']);

/**
 * Shorter versions of a prompt, as Midjourney's /shorten gives them: the filler words go first,
 * then the least weighty words, keeping the order and the parameters. Undefined when too short.
 */
export function shortenPrompt(prompt: string): string[] | undefined {
  const tokens = prompt.trim().split(/\s+/);
  const flagAt = tokens.findIndex((token) => /^--[a-z]/i.test(token));
  const words = flagAt < 0 ? tokens : tokens.slice(0, flagAt);
  const flags = flagAt < 0 ? '' : ` ${tokens.slice(flagAt).join(' ')}`;
  if (words.length < 4) return undefined;
  const content = words.filter((word) => !FILLER.has(word.toLowerCase()));
  // Longer words carry more of the picture; the ones kept stay in their own order.
  const byWeight = [...content.keys()].sort((a, b) => content[b]!.length - content[a]!.length);
  const versions = new Set<string>();
  versions.add(content.join(' '));
  for (const share of [0.8, 0.6, 0.45, 0.3]) {
    const keep = new Set(byWeight.slice(0, Math.max(2, Math.round(content.length * share))));
    versions.add(content.filter((_, index) => keep.has(index)).join(' '));
  }
  return [...versions].slice(0, 5).map((text, index) => `${KEYCAPS[index]} ${text}${flags}`);
}

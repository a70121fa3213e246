/**
 * How the Midjourney bot behind AceData reads a prompt, as far as the simulator needs it: leading
 * image URLs, the aspect ratio, and the flags it does not recognise (it fails the job with
 * "Unrecognized argument(s): …", as AceData's callback example shows).
 */

/** Flags the Midjourney bot accepts on an image job (long and short forms). */
const IMAGE_FLAGS = new Set([
  'ar',
  'aspect',
  'c',
  'chaos',
  'no',
  'p',
  'profile',
  'personalize',
  'q',
  'quality',
  'seed',
  'sameseed',
  'stop',
  'style',
  'raw',
  's',
  'stylize',
  'sref',
  'sw',
  'sv',
  'tile',
  'v',
  'version',
  'niji',
  'draft',
  'w',
  'weird',
  'iw',
  'fast',
  'relax',
  'turbo',
  'exp',
  'cref',
  'oref',
  'cw',
  'ow',
  'hd',
  'repeat',
  'r',
]);

export interface PromptReading {
  imageUrls: string[];
  text: string;
  aspect: string;
  /** Flags the bot rejects on an image job (unknown, or video-only such as --motion). */
  unrecognized: string[];
}

const FLAG = /^(?:--|—)([a-z][\w.]*)$/i;

export function readPrompt(prompt: string): PromptReading {
  const tokens = prompt
    .trim()
    .split(/\s+/)
    .filter((token) => token !== '');
  const imageUrls: string[] = [];
  let index = 0;
  while (index < tokens.length && /^https?:\/\/\S+$/i.test(tokens[index] ?? '')) imageUrls.push(tokens[index++] ?? '');
  const text: string[] = [];
  const unrecognized: string[] = [];
  let aspect = '1:1';
  let inFlags = false;
  for (; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    const flag = FLAG.exec(token)?.[1]?.toLowerCase();
    if (flag === undefined) {
      if (!inFlags) text.push(token);
      continue;
    }
    inFlags = true;
    if (!IMAGE_FLAGS.has(flag)) unrecognized.push(`--${flag}`);
    if ((flag === 'ar' || flag === 'aspect') && /^\d+:\d+$/.test(tokens[index + 1] ?? ''))
      aspect = tokens[index + 1] ?? aspect;
  }
  return { imageUrls, text: text.join(' '), aspect, unrecognized };
}

/** Why Midjourney would refuse this prompt, or undefined. */
export function promptProblem(reading: PromptReading): string | undefined {
  if (reading.unrecognized.length > 0)
    return `Unrecognized argument(s): ${reading.unrecognized.map((flag) => `\`${flag}\``).join(', ')}`;
  if (reading.imageUrls.length > 5)
    return `Invalid image prompt: at most 5 image URLs can be blended (got ${reading.imageUrls.length})`;
  if (reading.imageUrls.length === 1 && reading.text === '')
    return 'Invalid prompt: an image prompt needs text or a second image to blend with';
  if (reading.imageUrls.length === 0 && reading.text === '') return 'Invalid prompt: the prompt is empty';
  return undefined;
}

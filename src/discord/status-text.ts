import { followUpDone } from '../jobs/follow-up.js';
import type { Job } from '../jobs/job.js';
import { renderPrompt } from '../prompt/parse.js';
import { STAGE_WORDS, stageOf } from '../providers/stages.js';

/** Longest prompt shown in a message; Discord allows 2000 characters in all. */
const MAX_PROMPT_SHOWN = 1500;

/**
 * The prompt as messages show it: as the member typed it (their spelling and order), or rendered
 * for records from before that was kept. Image prompts show as a count: on Discord their URLs are
 * long, signed and expire, and one at the start would read as the prompt.
 */
export function promptShown(prompt: Job['prompt']): string {
  const text = withImageCount(prompt.typed ?? renderPrompt(prompt), prompt.imageUrls.length);
  const shown = text.length > MAX_PROMPT_SHOWN ? `${text.slice(0, MAX_PROMPT_SHOWN - 1)}…` : text;
  // Keep the user's text from closing the bold or pinging anyone.
  return shown.replace(/\*\*/g, '\\*\\*').replace(/@(everyone|here)/g, '@\u200b$1');
}

function withImageCount(text: string, images: number): string {
  if (images === 0) return text;
  const tokens = text.split(' ');
  // The image URLs are the prompt's first URL tokens, wherever parameters put them.
  let left = images;
  const rest = tokens.filter((token) => {
    if (left > 0 && /^https?:\/\//i.test(token)) {
      left -= 1;
      return false;
    }
    return true;
  });
  return [images === 1 ? '(1 image)' : `(${images} images)`, ...rest].join(' ');
}

/** "0:42", "12:05", "1:02:03". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The part in brackets: `(Waiting to start)`, `(Queued, position 2)`, `(37%) (fast)`, `(Running, 0:42) (fast)`, `(fast)`. */
export function statusTag(job: Job, now: number, queuePosition?: number): string {
  switch (job.state) {
    case 'queued':
      return queuePosition ? `(Queued, position ${queuePosition})` : '(Waiting to start)';
    case 'submitting':
      return '(Waiting to start)';
    case 'running': {
      if (job.progress !== undefined && job.progress > 0) return `(${Math.floor(job.progress)}%) (${job.speed})`;
      const elapsed = formatElapsed(now - (job.submittedAt ?? job.createdAt));
      // The provider's own word is in the log; members read the one vocabulary (see stages.ts).
      return `(${STAGE_WORDS[stageOf(job.statusText)]}, ${elapsed}) (${job.speed})`;
    }
    case 'succeeded':
      return `(${job.speed})`;
    case 'failed':
      return '(failed)';
    case 'cancelled':
      return '(cancelled)';
  }
}

/** The first line, in the Midjourney bot's formats. */
export function headline(job: Job, now: number, queuePosition?: number): string {
  const prompt = `**${promptShown(job.prompt)}**`;
  const user = `<@${job.userId}>`;
  const tag = statusTag(job, now, queuePosition);
  const { followUp } = job;
  if (!followUp || followUp.action === 'reroll') return `${prompt} - ${user} ${tag}`;
  // U1–U4 take an image out of the grid: "Image #2". An upscale of an upscale names its type,
  // "Upscaled (Creative) by", as Midjourney does; the image keeps its grid number (see gridNumber).
  if (followUp.action === 'upscale' && job.imageNumber === undefined) {
    const line = `${prompt} - Image #${followUp.index} ${user}`;
    return job.state === 'succeeded' ? line : `${line} ${tag}`;
  }
  return `${prompt} - ${followUpDone(followUp)} by ${user} ${tag}`;
}

import { z } from 'zod';
import { ProviderError, USER_MESSAGES, type ProviderErrorCode } from '../errors.js';
import type { ResultImage, TaskState, TaskUpdate } from '../types.js';

/**
 * The job object every MaaS-MJ endpoint answers with (submit and `GET /tob/job/{id}` alike).
 * https://docs.cloudsway.net/maasapi/api-reference/image/mj
 * Fields are read leniently where the page is vague: `status` is documented as an int with a
 * string default ("0"), `audits`/`urls` may be null before anything exists.
 */
export const mjJobSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  status: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(0).max(3)),
  comment: z.string().nullish(),
  text: z.string().nullish(),
  seed: z.union([z.number(), z.string()]).nullish(),
  urls: z.array(z.string().nullable()).nullish(),
  audits: z.array(z.string().nullable()).nullish(),
  // Not documented; one integrator reads an optional "30%" (CONTRACTS.md §A). Read it when present.
  progress: z.union([z.string(), z.number()]).nullish(),
});
export type MjJob = z.infer<typeof mjJobSchema>;

const STATE_BY_STATUS: Record<number, TaskState> = { 0: 'queued', 1: 'running', 2: 'succeeded', 3: 'failed' };

/**
 * Youchuan's failure comments (JobStatus…), by stable code. The comment is free text and sometimes
 * localised, so it only refines a failure that `status` already decided; unknown words give 'unknown'.
 */
const FAILURE_COMMENTS: [RegExp, ProviderErrorCode][] = [
  [/JobStatus(Text)?Reject|JobStatusImagePromptDenied|Msg_Sensitive/i, 'content_rejected'],
  [/JobStatusCreditNotEnough|Account_Fee_Not_Enough/i, 'credits'],
  [/JobStatusMaxConcurrentLimited/i, 'rate_limited'],
  [/JobStatus(BadPrompt|InvalidParameter|InvalidImagePromptLink|DuplicateImage)/i, 'invalid_input'],
  [/JobStatus(Timeout|RequestTimeout|Error)/i, 'transient'],
];

const FAILURE_SENTENCES: Partial<Record<ProviderErrorCode, string>> = {
  content_rejected: 'Midjourney’s moderation rejected this prompt or its images. Try rewording it.',
  invalid_input: 'Midjourney could not run this prompt (a parameter or an image link was not accepted).',
  transient: 'The image job timed out at the image service. Please try again.',
};

export function failureCodeForComment(comment: string | null | undefined): ProviderErrorCode {
  for (const [pattern, code] of FAILURE_COMMENTS) if (pattern.test(comment ?? '')) return code;
  return 'unknown';
}

/** "30%", "30", 30 or 0.3 → 0–100; undefined when unreadable. */
export function readProgress(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = typeof value === 'number' ? value : Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(number)) return undefined;
  const percent = typeof value === 'number' && number > 0 && number < 1 ? number * 100 : number;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

/** One image per URL; an empty URL is an image the provider's moderation withheld. */
function toImages(job: MjJob): ResultImage[] {
  const audits = job.audits ?? [];
  return (job.urls ?? []).map((url, index): ResultImage => {
    if (url !== null && url.trim() !== '') return { kind: 'url', url };
    const audit = audits[index];
    return audit ? { kind: 'rejected', rejected: true, reason: audit } : { kind: 'rejected', rejected: true };
  });
}

/**
 * Normalises a job object into a TaskUpdate. State comes from `status`, never from `comment`.
 * Quirk (CONTRACTS.md §A): status 2 may arrive before `urls` fill in, so 2 with no URL is still running.
 * A job whose every image was withheld failed for moderation; a partial withholding succeeds with
 * `rejected` placeholders so the other images stay usable.
 */
export function jobToUpdate(job: MjJob): TaskUpdate {
  const images = toImages(job);
  let state = STATE_BY_STATUS[job.status] ?? 'running';
  if (state === 'succeeded' && images.length === 0) state = 'running';
  const update: TaskUpdate = { taskId: job.id, state };
  if (job.comment) update.statusText = job.comment;
  const progress = readProgress(job.progress);
  if (progress !== undefined && (state === 'running' || state === 'queued')) update.progress = progress;
  if (job.seed !== null && job.seed !== undefined && String(job.seed) !== '0') update.seed = String(job.seed);

  if (state === 'succeeded' && images.every((image) => image.kind === 'rejected')) {
    return {
      ...update,
      state: 'failed',
      images,
      failure: failureFor('content_rejected', job, 'every image was withheld by moderation'),
    };
  }
  if (state === 'succeeded') return { ...update, images, progress: 100 };
  if (state === 'failed') return { ...update, failure: failureFor(failureCodeForComment(job.comment), job) };
  return update;
}

function failureFor(code: ProviderErrorCode, job: MjJob, detail?: string): TaskUpdate['failure'] {
  const comment = job.comment ?? undefined;
  return {
    code,
    userMessage: FAILURE_SENTENCES[code] ?? USER_MESSAGES[code],
    providerCode: `status ${job.status}`,
    ...(comment || detail ? { providerMessage: [comment, detail].filter(Boolean).join('; ') } : {}),
  };
}

/** Turns a 200 answer that is not a job object into the error it carries (gateway envelopes). */
export function unexpectedBodyError(label: string, body: unknown): ProviderError {
  return new ProviderError('unknown', `${label}: the answer is not a job object`, {
    providerMessage: JSON.stringify(body)?.slice(0, 300),
  });
}

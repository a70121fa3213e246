import { ProviderError, USER_MESSAGES, type ProviderErrorCode } from '../errors.js';
import type { TaskUpdate } from '../types.js';
import type { MjJob } from './schemas.js';

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

export function failureFor(code: ProviderErrorCode, job: MjJob, detail?: string): TaskUpdate['failure'] {
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

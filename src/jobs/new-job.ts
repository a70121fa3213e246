import { randomBytes } from 'node:crypto';
import type { ParsedPrompt } from '../prompt/types.js';
import type { Job } from './job.js';

/** A job to make: an imagine, or (with `followUp` and `parentId`) an action on a finished job. */
export type NewJob = Pick<Job, 'provider' | 'guildId' | 'channelId' | 'userId' | 'speed'> &
  Partial<
    Pick<
      Job,
      | 'parentId'
      | 'followUp'
      | 'remix'
      | 'imageNumber'
      | 'aspect'
      | 'notices'
      | 'visibility'
      | 'interactionToken'
      | 'attachmentLimit'
      | 'shownBy'
      | 'translate'
      | 'previewUrl'
      | 'hdVideo'
    >
  > & {
    prompt: ParsedPrompt;
  };

const JOB_ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/** Short ids users can type in `/upscale job:<id>`; no look-alike characters. */
export function newJobId(): string {
  const bytes = randomBytes(8);
  return Array.from(bytes, (byte) => JOB_ID_ALPHABET[byte % JOB_ID_ALPHABET.length]).join('');
}

/** A new job record (queued), not yet saved or started. */
export function newJobRecord(input: NewJob, now: number): Job {
  return {
    schema: 2,
    id: newJobId(),
    ...input,
    action: input.followUp?.action ?? 'imagine',
    // Stored loosely (params as a record); parsePrompt made it, so it reads back as a ParsedPrompt.
    prompt: {
      text: input.prompt.text,
      imageUrls: input.prompt.imageUrls,
      params: { ...input.prompt.params },
      ...(input.prompt.typed === undefined ? {} : { typed: input.prompt.typed }),
    },
    notices: input.notices ?? [],
    state: 'queued',
    visibility: input.visibility ?? 'public',
    callbackSeen: false,
    createdAt: now,
    polls: 0,
    attempts: 0,
    version: 0,
    publishSeq: 0,
    publishedSeq: 0,
  };
}

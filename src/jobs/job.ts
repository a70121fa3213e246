import { z } from 'zod';
import { PROVIDER_IDS } from '../config.js';
import { PROVIDER_ERROR_CODES } from '../providers/errors.js';
import { followUpSchema, JOB_ACTIONS, PAN_DIRECTIONS, UPSCALE_TYPES, VARY_STRENGTHS } from './follow-up.js';

/** A parsed prompt as stored (the same shape `parsePrompt` returns). */
export const storedPromptSchema = z.object({
  text: z.string(),
  imageUrls: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  /** As the member wrote it (older records have none: they are shown rendered). */
  typed: z.string().optional(),
});

export const resultImageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string(), rejected: z.literal(false).optional() }),
  z.object({
    kind: z.literal('base64'),
    data: z.string(),
    contentType: z.string(),
    rejected: z.literal(false).optional(),
  }),
  z.object({
    kind: z.literal('blob'),
    blobId: z.string(),
    contentType: z.string(),
    rejected: z.literal(false).optional(),
  }),
  z.object({ kind: z.literal('rejected'), reason: z.string().optional(), rejected: z.literal(true) }),
]);
export type StoredImage = z.infer<typeof resultImageSchema>;

/** A job id as the bot makes them (see newJobId) and as members type them in /upscale and /vary. */
export const JOB_ID_PATTERN = /^[a-z0-9]{6,16}$/;
export const jobIdSchema = z
  .string()
  .regex(JOB_ID_PATTERN, 'A job id is 6 to 16 letters and digits, as shown under each result.');

/** `cancelled`: its owner stopped it (❌); like the other two ends, it is never resumed. */
export const JOB_STATES = ['queued', 'submitting', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * A job is one provider task (imagine, upscale, vary, reroll, zoom, pan). It lives in the store,
 * never only in memory, so a restart resumes it and buttons on old messages keep working.
 */
const currentJobSchema = z.object({
  schema: z.literal(2),
  id: jobIdSchema,
  action: z.enum(JOB_ACTIONS),
  provider: z.enum(PROVIDER_IDS),
  guildId: z.string(),
  channelId: z.string(),
  userId: z.string(),
  /** The job this one acts on. */
  parentId: z.string().optional(),
  /** What this job does to its parent; absent for an imagine. */
  followUp: followUpSchema.optional(),
  /**
   * For a job acting on an upscale: the grid image (1–4) that upscale is, kept through
   * re-upscales and variations of it (the follow-up's own index is then 1, the upscale's only image).
   */
  imageNumber: z.number().int().min(1).max(4).optional(),
  prompt: storedPromptSchema,
  /** A follow-up whose prompt the member edited in the Remix modal: `prompt` goes to the provider with it. */
  remix: z.boolean().optional(),
  /**
   * The frame's width:height when a pan or Make Square (on this job or one it came from) made it
   * differ from the prompt's `--ar`; absent means the prompt's.
   */
  aspect: z
    .string()
    .regex(/^\d+:\d+$/)
    .optional(),
  /** Parameters the provider ignores, named in the message. */
  notices: z.array(z.string()).default([]),
  speed: z.enum(['fast', 'relax', 'turbo']),
  state: z.enum(JOB_STATES),
  /** The public message showing this job. */
  messageId: z.string().optional(),
  /** The message in the moderation channel mirroring it. */
  modMessageId: z.string().optional(),
  /** `deleted`: a moderator removed it; `owner_deleted`: its owner did (Apps → Delete). */
  visibility: z.enum(['public', 'pending_approval', 'rejected', 'deleted', 'owner_deleted']).default('public'),
  taskId: z.string().optional(),
  handle: z.string().optional(),
  progress: z.number().min(0).max(100).optional(),
  statusText: z.string().optional(),
  previewUrl: z.string().optional(),
  images: z.array(resultImageSchema).optional(),
  gridImage: resultImageSchema.optional(),
  /** An animation's videos (Animate, Extend): the provider's URLs, in its order. */
  videos: z.array(z.string()).optional(),
  followUps: z.array(followUpSchema).optional(),
  seed: z.string().optional(),
  failure: z
    .object({
      code: z.enum(PROVIDER_ERROR_CODES),
      userMessage: z.string(),
      status: z.number().optional(),
      providerCode: z.string().optional(),
      providerMessage: z.string().optional(),
    })
    .optional(),
  /** The creating interaction's token, to tell the owner privately while it lives (15 minutes). */
  interactionToken: z.string().optional(),
  /** Per-job secret in the callback URL; callbacks without it are rejected. */
  callbackSecret: z.string().optional(),
  /** Set once a callback has reported; such jobs are not polled. */
  callbackSeen: z.boolean().default(false),
  /** The attachment size limit the interaction announced (bytes); results are encoded to fit. */
  attachmentLimit: z.number().int().positive().optional(),
  createdAt: z.number(),
  submittedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  /** The last time the provider said this job was still running (bounds when it really finished). */
  lastSeenRunningAt: z.number().optional(),
  /** When the poller should next ask the provider (ms since epoch). */
  nextPollAt: z.number().optional(),
  polls: z.number().int().default(0),
  /** Consecutive retryable failures of submit or status, for backoff. */
  attempts: z.number().int().default(0),
  /** Whether the provider is asked to translate a prompt not in English (the server's setting when the job was made). */
  translate: z.boolean().optional(),
  /** Animate: an HD video was asked for (the server's /settings hd_video when the job was made). */
  hdVideo: z.boolean().optional(),
  /**
   * Set once the member has been shown how the job ended (its image or its failure). A result that
   * comes late is posted as a new message that mentions them; until then it is not.
   */
  resultShown: z.boolean().optional(),
  /** The "waiting" message a late result replaced, until it is deleted. */
  waitingMessageId: z.string().optional(),
  /** How the job's message was made: the interaction's reply, or a channel post with the job id as nonce. */
  shownBy: z.enum(['reply', 'post']).optional(),
  /**
   * When the job was given one of its member's slots (admitted to start at once, or started from
   * the queue). Unfinished jobs without it wait in the queue. Written by the store's admission.
   */
  slotAt: z.number().optional(),
  /** Counts the record's writes; each update is one more. */
  version: z.number().int().nonnegative().default(0),
  /**
   * Durable "publish me": raised when the job finishes or a moderator decides on it, and matched by
   * `publishedSeq` once Discord shows that state. A job with `publishSeq > publishedSeq` stays in
   * its guild's open index, so a process that dies before publishing leaves the work to the next.
   */
  publishSeq: z.number().int().nonnegative().default(0),
  publishedSeq: z.number().int().nonnegative().default(0),
});

/**
 * Records of schema 1 (before the follow-up type) spelled a follow-up as `imageIndex` plus
 * `options` ({ upscaleType, strength, zoom, direction }). They are read as today's records, so
 * jobs and buttons from before the change keep working; the next write stores the new form.
 */
const schemaOneSchema = z.looseObject({
  schema: z.literal(1),
  action: z.enum(JOB_ACTIONS),
  imageIndex: z.number().int().min(1).max(4).optional(),
  options: z
    .object({
      upscaleType: z.enum(UPSCALE_TYPES).optional(),
      strength: z.enum(VARY_STRENGTHS).optional(),
      zoom: z.union([z.literal(1.5), z.literal(2)]).optional(),
      direction: z.enum(PAN_DIRECTIONS).optional(),
    })
    .default({}),
});

function upgradeSchemaOne(record: z.infer<typeof schemaOneSchema>): Record<string, unknown> {
  const { imageIndex, options, ...rest } = record;
  // The defaults the submit of a schema-1 job used when a field was missing.
  const index = imageIndex ?? 1;
  const followUp = {
    imagine: undefined,
    upscale: { action: 'upscale', index, type: options.upscaleType ?? 'default' },
    vary: { action: 'vary', index, strength: options.strength ?? 'strong' },
    reroll: { action: 'reroll' },
    zoom: { action: 'zoom', index, factor: options.zoom ?? 2 },
    pan: { action: 'pan', index, direction: options.direction ?? 'left' },
    // Schema 1 predates video: no such record exists, but the table covers every action.
    animate: { action: 'animate', index, motion: 'high' },
    extend: { action: 'extend', index },
    // Schema 1 predates Vary (Region): no such record exists, and one would not be readable.
    region: undefined,
    // Schema 1 had no Make Square; the entry only completes the table.
    square: { action: 'square', index },
  }[record.action];
  return { ...rest, schema: 2, ...(followUp ? { followUp } : {}) };
}

export const jobSchema = z.preprocess(
  (raw) => {
    const schemaOne = schemaOneSchema.safeParse(raw);
    return schemaOne.success ? upgradeSchemaOne(schemaOne.data) : raw;
  },
  currentJobSchema.refine((job) => (job.followUp?.action ?? 'imagine') === job.action, {
    message: "a job's action is its follow-up's (or imagine)",
    path: ['action'],
  }),
);
export type Job = z.output<typeof currentJobSchema>;
export type JobAction = Job['action'];

/** Which grid image an upscale is: its U number, or for a re-upscale the one it descends from. */
export function gridNumber(job: Pick<Job, 'followUp' | 'imageNumber'>): number {
  return job.imageNumber ?? (job.followUp && 'index' in job.followUp ? job.followUp.index : 1);
}

/** The frame's aspect ratio: set by a pan or Make Square on the way here, else the prompt's `--ar` (1:1 without). */
export function aspectOf(job: Pick<Job, 'aspect' | 'prompt'>): string {
  const fromPrompt = job.prompt.params.aspect;
  return job.aspect ?? (typeof fromPrompt === 'string' ? fromPrompt : '1:1');
}

export function isFinished(job: Pick<Job, 'state'>): boolean {
  return job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';
}

/**
 * The fields the job service writes, under its per-job lock: a step reads the record, talks to the
 * provider, and writes these back. Everything else (the message, moderators' decisions, what has
 * been published) is written by its own owner, so a step never puts back a stale copy of it.
 */
export const LIFECYCLE_FIELDS = [
  'state',
  'taskId',
  'handle',
  'progress',
  'statusText',
  'previewUrl',
  'images',
  'gridImage',
  'videos',
  'followUps',
  'seed',
  'failure',
  'callbackSecret',
  'callbackSeen',
  'submittedAt',
  'finishedAt',
  'lastSeenRunningAt',
  'nextPollAt',
  'polls',
  'attempts',
  'publishSeq',
] as const satisfies readonly (keyof Job)[];

/** `current` with the lifecycle fields taken from `job`, the service's working copy. */
export function withLifecycle(current: Job, job: Job): Job {
  const next: Job = { ...current };
  for (const field of LIFECYCLE_FIELDS) (next as Record<string, unknown>)[field] = job[field];
  return next;
}

import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Splits a V8 CPU profile (`.cpuprofile`) into the parts of the bot that spent it, by the self
 * time of each function: where its code lives decides its part. The parts are the ones the
 * acknowledgement path goes through, so the table says what to cut before the reply.
 */
export const PROFILE_PARTS = [
  'discord.js',
  'gateway (ws)',
  'undici (HTTP)',
  'zod',
  'prompt parser',
  'filter and moderation',
  'admission and jobs',
  'store (keyv, SQLite)',
  'view (texts, components)',
  'bot, other',
  'logging',
  'Node internals',
  'garbage collection',
  'other',
] as const;
export type ProfilePart = (typeof PROFILE_PARTS)[number];

/** The first matching rule names a function's part; `url` is its script's, `name` its own. */
const RULES: { part: ProfilePart; test: (url: string, name: string) => boolean }[] = [
  { part: 'garbage collection', test: (_url, name) => name === '(garbage collector)' },
  {
    part: 'discord.js',
    test: (url) => /node_modules\/(discord\.js|@discordjs|@sapphire|discord-api-types)\//.test(url),
  },
  { part: 'gateway (ws)', test: (url) => /node_modules\/ws\//.test(url) },
  {
    part: 'undici (HTTP)',
    test: (url) => /node_modules\/undici\//.test(url) || /^node:internal\/deps\/undici/.test(url),
  },
  { part: 'zod', test: (url) => /node_modules\/zod\//.test(url) },
  { part: 'store (keyv, SQLite)', test: (url) => /node_modules\/(keyv|@keyv|sqlite3)\/|\/src\/store\//.test(url) },
  { part: 'logging', test: (url) => /node_modules\/(pino|pino-[a-z-]+|sonic-boom|thread-stream)\//.test(url) },
  { part: 'prompt parser', test: (url) => /\/src\/prompt\//.test(url) },
  { part: 'filter and moderation', test: (url) => /\/src\/moderation\//.test(url) },
  { part: 'admission and jobs', test: (url) => /\/src\/jobs\//.test(url) },
  {
    part: 'view (texts, components)',
    test: (url) => /\/src\/discord\/(views|status-text|text|own-jobs-text|region-text|prompt-text)\.ts/.test(url),
  },
  { part: 'bot, other', test: (url) => /\/src\//.test(url) },
  { part: 'Node internals', test: (url, name) => url.startsWith('node:') || (url === '' && name !== '(idle)') },
];

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export type ProfileBreakdown = Record<ProfilePart, number>;

/** Self time per part in milliseconds; the idle time (waiting on I/O) is left out. */
export async function profileBreakdown(path: string): Promise<ProfileBreakdown> {
  const profile = profileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  const partOf = new Map<number, ProfilePart | undefined>();
  for (const { id, callFrame } of profile.nodes) {
    const { url, functionName } = callFrame;
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') {
      partOf.set(id, functionName === '(program)' ? 'Node internals' : undefined);
      continue;
    }
    partOf.set(id, RULES.find((rule) => rule.test(url, functionName))?.part ?? 'other');
  }
  const breakdown = Object.fromEntries(PROFILE_PARTS.map((part) => [part, 0])) as ProfileBreakdown;
  // timeDeltas[i] is the time between sample i−1 and sample i: the time sample i stands for.
  profile.samples.forEach((node, index) => {
    const part = partOf.get(node);
    if (part) breakdown[part] += (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return breakdown;
}

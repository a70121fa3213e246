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

/** The first matching rule names a script's part by its URL. */
const RULES: { part: ProfilePart; test: (url: string) => boolean }[] = [
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
];

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export type ProfileBreakdown = Record<ProfilePart, number>;

/**
 * Self time per part in milliseconds. Left out: the idle time (waiting on I/O), and the profiler's
 * own work (everything under `node:inspector`, such as serialising the profile when it stops).
 */
export async function profileBreakdown(path: string): Promise<ProfileBreakdown> {
  const profile = profileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const profiler = new Set<number>();
  const markProfiler = (id: number) => {
    profiler.add(id);
    for (const child of byId.get(id)?.children ?? []) markProfiler(child);
  };
  for (const node of profile.nodes) if (node.callFrame.url === 'node:inspector') markProfiler(node.id);
  // Native and Node-internal frames (no URL, or `node:`) count for the nearest caller of ours or a
  // library's: SQLite's binding is the store's time, a timer's internals the code that set it.
  const partOf = new Map<number, ProfilePart | undefined>();
  const assign = (id: number, inherited: ProfilePart | undefined) => {
    const node = byId.get(id);
    if (!node || profiler.has(id)) return;
    const { url, functionName } = node.callFrame;
    let part: ProfilePart | undefined;
    if (functionName === '(idle)' || functionName === '(root)') part = undefined;
    else if (functionName === '(program)') part = 'Node internals';
    else if (functionName === '(garbage collector)') part = 'garbage collection';
    else if (url === '' || url.startsWith('node:')) part = inherited ?? 'Node internals';
    else part = RULES.find((rule) => rule.test(url))?.part ?? 'other';
    partOf.set(id, part);
    const passed = url === '' || url.startsWith('node:') ? inherited : part;
    for (const child of node.children ?? []) assign(child, passed);
  };
  const children = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  for (const node of profile.nodes) if (!children.has(node.id)) assign(node.id, undefined);
  const breakdown = Object.fromEntries(PROFILE_PARTS.map((part) => [part, 0])) as ProfileBreakdown;
  // timeDeltas[i] is the time between sample i−1 and sample i: the time sample i stands for.
  profile.samples.forEach((node, index) => {
    const part = partOf.get(node);
    if (part) breakdown[part] += (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return breakdown;
}

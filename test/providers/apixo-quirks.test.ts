import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import { ApixoAdapter } from '../../src/providers/apixo.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { ParentTask } from '../../src/providers/types.js';
import { ApixoSimulator, type ApixoSimulatorOptions } from '../../src/sandbox/providers/apixo-simulator.js';
import { finish, makeAdapterFor, parentOf, prompt } from './support.js';

/**
 * What CONTRACTS.md §C leaves UNKNOWN, each reading simulated: the field-name generation, the
 * imageIndex base, and the backend's habit of cutting the prompt at the first `--`.
 */

const KEY = 'apixo-quirks-key-1234';
const silent = pino({ level: 'silent' });
const running: ApixoSimulator[] = [];

async function simulatorWith(options: ApixoSimulatorOptions): Promise<ApixoSimulator> {
  const simulator = await new ApixoSimulator({ key: KEY, timeScale: 0.001, imageEdge: 32, ...options }).start();
  running.push(simulator);
  return simulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

const signal = () => AbortSignal.timeout(10_000);

const adapterFor = makeAdapterFor(ApixoAdapter, (simulator: ApixoSimulator) => ({
  baseUrl: simulator.baseUrl,
  key: KEY,
  logger: silent,
}));

const FLAGS = 'a red fox in snow --ar 16:9 --chaos 30 --stylize 600 --weird 100';
const HONOURED = { aspect: '16:9', chaos: 30, stylize: 600, weird: 100 };

describe('APIXO field-name generations (UNKNOWN which one is live)', () => {
  it('GIVEN the default adapter and a simulator taking both THEN the new names are sent and honoured', async () => {
    const simulator = await simulatorWith({ fieldNames: 'both' });
    const submitted = await adapterFor(simulator).submit({ prompt: prompt(FLAGS) }, { signal: signal() });
    expect(simulator.task(submitted.taskId)!.input).toMatchObject(HONOURED);
    expect((simulator.submissions[0]!.body as { input: object }).input).not.toHaveProperty('aspect');
  });

  it('GIVEN a simulator that takes only the old names THEN the adapter falls back once and remembers', async () => {
    const simulator = await simulatorWith({ fieldNames: 'old' });
    const adapter = adapterFor(simulator);
    const first = await adapter.submit({ prompt: prompt(FLAGS) }, { signal: signal() });
    expect(simulator.submissions.map((submission) => submission.status)).toEqual([400, 200]);
    expect(simulator.task(first.taskId)!.input).toMatchObject(HONOURED);
    await adapter.submit({ prompt: prompt(FLAGS) }, { signal: signal() });
    expect(simulator.submissions.map((submission) => submission.status)).toEqual([400, 200, 200]);
    expect((await finish(adapter, first.taskId)).state).toBe('succeeded');
  });

  it('GIVEN an adapter set to old names and a simulator taking only the new ones THEN it falls back the other way', async () => {
    const simulator = await simulatorWith({ fieldNames: 'new' });
    const submitted = await adapterFor(simulator, { settings: { fieldNames: 'old' } }).submit(
      { prompt: prompt(FLAGS) },
      { signal: signal() },
    );
    expect(simulator.submissions.map((submission) => submission.status)).toEqual([400, 200]);
    expect(simulator.task(submitted.taskId)!.input).toMatchObject(HONOURED);
  });

  it('GIVEN an API that silently drops unknown names THEN fieldNames: both still gets every value through', async () => {
    for (const generation of ['old', 'new'] as const) {
      const simulator = await simulatorWith({ fieldNames: generation, unknownFields: 'ignore' });
      const submitted = await adapterFor(simulator, { settings: { fieldNames: 'both' } }).submit(
        { prompt: prompt(FLAGS) },
        { signal: signal() },
      );
      expect(simulator.task(submitted.taskId)!.input).toMatchObject(HONOURED);
    }
  });

  it('GIVEN a silently dropping API and the wrong single generation THEN the values are lost (why "both" exists)', async () => {
    const simulator = await simulatorWith({ fieldNames: 'old', unknownFields: 'ignore' });
    const submitted = await adapterFor(simulator).submit({ prompt: prompt(FLAGS) }, { signal: signal() });
    expect(simulator.task(submitted.taskId)!.input.aspect).toBeUndefined();
  });

  it('GIVEN the fallback switched off THEN the refusal is invalid_input', async () => {
    const simulator = await simulatorWith({ fieldNames: 'old' });
    const error = await adapterFor(simulator, { settings: { fieldFallback: false } })
      .submit({ prompt: prompt(FLAGS) }, { signal: signal() })
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'invalid_input',
      providerMessage: expect.stringContaining('aspect_ratio') as string,
    });
  });

  it('GIVEN relax to an old-generation API THEN fast is sent (old docs refuse "relaxed")', async () => {
    const simulator = await simulatorWith({ fieldNames: 'old' });
    const submitted = await adapterFor(simulator, { settings: { fieldNames: 'old' } }).submit(
      { prompt: prompt('a cat --relax') },
      { signal: signal() },
    );
    expect(simulator.task(submitted.taskId)!.input.speed).toBe('fast');
  });
});

describe('APIXO imageIndex base (UNKNOWN: the doc says 0–3)', () => {
  async function gridOn(adapter: ApixoAdapter): Promise<ParentTask> {
    const parsed = prompt('a tower');
    const submitted = await adapter.submit({ prompt: parsed }, { signal: signal() });
    return parentOf(await finish(adapter, submitted.taskId), 'imagine', parsed);
  }

  it.each([0, 1] as const)(
    'GIVEN both sides counting from %i THEN U1 and U4 upscale grid images 1 and 4',
    async (base) => {
      const simulator = await simulatorWith({ imageIndexBase: base });
      const adapter = adapterFor(simulator, { settings: { imageIndexBase: base } });
      const parent = await gridOn(adapter);
      for (const index of [1, 4]) {
        const submitted = await adapter.submit(
          { followUp: { action: 'upscale', index, type: 'default' }, parent },
          { signal: signal() },
        );
        expect(simulator.task(submitted.taskId)).toMatchObject({
          input: { imageIndex: index - 1 + base },
          parent: { index },
        });
        expect((await finish(adapter, submitted.taskId)).state).toBe('succeeded');
      }
    },
  );

  it('GIVEN an adapter counting from 0 against an API counting from 1 THEN U1 is refused, not silently wrong', async () => {
    const simulator = await simulatorWith({ imageIndexBase: 1 });
    const adapter = adapterFor(simulator, { settings: { imageIndexBase: 0 } });
    const parent = await gridOn(adapter);
    const error = await adapter
      .submit({ followUp: { action: 'vary', index: 1, strength: 'strong' }, parent }, { signal: signal() })
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({
      code: 'invalid_input',
      providerMessage: expect.stringContaining('imageIndex') as string,
    });
  });
});

describe('APIXO prompt cut at the first "--"', () => {
  it('GIVEN a careless client that leaves flags in the prompt THEN the simulator keeps only what precedes them', async () => {
    const simulator = await simulatorWith({});
    const response = await request(`${simulator.baseUrl}/generateTask/midjourney`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        input: { mode: 'text-to-image', prompt: 'a cat --ar 16:9 wearing a hat', version: 'v7', speed: 'fast' },
      }),
    });
    const body = (await response.body.json()) as { data: { taskId: string } };
    expect(simulator.task(body.data.taskId)!.input).toMatchObject({ prompt: 'a cat', promptCut: true });
    expect(simulator.task(body.data.taskId)!.input.aspect).toBeUndefined();
  });

  it('GIVEN text with a double hyphen THEN the adapter keeps the whole prompt', async () => {
    const simulator = await simulatorWith({});
    const parsed: ParsedPrompt = { text: 'a cat -- wearing a hat', imageUrls: [], params: { aspect: '3:2' } };
    const submitted = await adapterFor(simulator).submit({ prompt: parsed }, { signal: signal() });
    expect(simulator.task(submitted.taskId)!.input).toMatchObject({ prompt: 'a cat - wearing a hat', aspect: '3:2' });
    expect(simulator.task(submitted.taskId)!.input.promptCut).toBeUndefined();
  });
});

describe('APIXO task states over simulated time (no progress field)', () => {
  it('GIVEN a real-time simulator and a jumped clock THEN pending, processing, then success', async () => {
    const simulator = await simulatorWith({ timeScale: 1, durations: { fast: 40 } });
    const adapter = adapterFor(simulator);
    const { taskId } = await adapter.submit({ prompt: prompt('a slow sunrise') }, { signal: signal() });
    expect(await adapter.status(taskId, { signal: signal() })).toEqual({
      taskId,
      state: 'queued',
      statusText: 'pending',
    });
    simulator.clock.advance(10_000);
    expect(await adapter.status(taskId, { signal: signal() })).toEqual({
      taskId,
      state: 'running',
      statusText: 'processing',
    });
    simulator.clock.advance(31_000);
    const done = await adapter.status(taskId, { signal: signal() });
    expect(done.state).toBe('succeeded');
    expect(done.progress).toBeUndefined();
  });

  it('GIVEN no duration override THEN fast lands in 30–45 s and turbo in 15–25 s of simulated time', async () => {
    const simulator = await simulatorWith({});
    const adapter = adapterFor(simulator);
    for (const [flag, [min, max]] of [
      ['--fast', [30_000, 45_000]],
      ['--turbo', [15_000, 25_000]],
      ['--relax', [30_000, 45_000]],
    ] as const) {
      const { taskId } = await adapter.submit({ prompt: prompt(`a clock ${flag}`) }, { signal: signal() });
      const duration = simulator.task(taskId)!.durationMs;
      expect(duration).toBeGreaterThanOrEqual(min);
      expect(duration).toBeLessThanOrEqual(max);
    }
  });
});

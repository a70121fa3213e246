import { describe, expect, it } from 'vitest';
import { jobSchema, type Job } from '../../src/jobs/job.js';
import { submitRequest } from '../../src/jobs/requests.js';
import { makeJob } from '../fixtures/jobs.js';

const image = { kind: 'url' as const, url: 'https://cdn.example/1.png' };
const grid = makeJob({ id: 'grid2345', state: 'succeeded', taskId: 'task-grid', images: [image, image, image, image] });

function sources(jobs: Job[]) {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  return {
    getJob: (id: string) => Promise.resolve(byId.get(id)),
    loadImage: () => Promise.reject(new Error('not needed')),
  };
}

describe('the parent task a follow-up is sent with', () => {
  it('GIVEN a variation of a re-upscale of U2 THEN its origin is grid image 2, past the upscale in between', async () => {
    const u2 = makeJob({
      id: 'upscale2',
      action: 'upscale',
      followUp: { action: 'upscale', index: 2, type: 'subtle' },
      parentId: grid.id,
      state: 'succeeded',
      taskId: 'task-u2',
      images: [image],
    });
    const again = makeJob({
      id: 'creative',
      action: 'upscale',
      followUp: { action: 'upscale', index: 1, type: 'creative' },
      imageNumber: 2,
      parentId: u2.id,
      state: 'succeeded',
      taskId: 'task-creative',
      images: [image],
    });
    const vary = makeJob({
      id: 'varyit23',
      action: 'vary',
      followUp: { action: 'vary', index: 1, strength: 'strong' },
      parentId: again.id,
    });
    const request = await submitRequest(vary, sources([grid, u2, again]));
    expect(request.followUp).toEqual({ action: 'vary', index: 1, strength: 'strong' });
    expect(request.followUp && request.parent).toMatchObject({
      taskId: 'task-creative',
      imageCount: 1,
      origin: { taskId: 'task-grid', index: 2 },
    });
  });

  it('GIVEN the same chain in schema-1 records (no imageNumber) THEN the origin is still grid image 2', async () => {
    const record = (fields: Record<string, unknown>) =>
      jobSchema.parse({ ...makeJob(), schema: 1, options: {}, state: 'succeeded', images: [image], ...fields });
    const u2 = record({
      id: 'upscale2',
      action: 'upscale',
      parentId: grid.id,
      imageIndex: 2,
      options: { upscaleType: 'subtle' },
      taskId: 'task-u2',
    });
    const again = record({
      id: 'creative',
      action: 'upscale',
      parentId: u2.id,
      imageIndex: 1,
      options: { upscaleType: 'creative' },
      taskId: 'task-creative',
    });
    const vary = makeJob({
      id: 'varyit23',
      action: 'vary',
      followUp: { action: 'vary', index: 1, strength: 'strong' },
      parentId: again.id,
    });
    const request = await submitRequest(vary, sources([grid, u2, again]));
    expect(request.followUp && request.parent.origin).toMatchObject({ taskId: 'task-grid', index: 2 });
  });

  it('GIVEN an imagine THEN only its prompt', async () => {
    expect(await submitRequest(grid, sources([]))).toEqual({ prompt: grid.prompt });
  });
});

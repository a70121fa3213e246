import { describe, expect, it } from 'vitest';
import { stageOf } from '../../src/providers/stages.js';

describe('provider status words in one vocabulary', () => {
  it.each([
    ['Kie', 'generating', 'running'],
    ['APIXO', 'pending', 'queued'],
    ['APIXO', 'processing', 'running'],
    ['AceData', 'pending', 'queued'],
    ['AceData', 'processing', 'running'],
    ['Cloudsway, localised', '已创建', 'queued'],
    ['Cloudsway, localised', '执行中', 'running'],
    ['Cloudsway, localised', '成功', 'finishing'],
    ['Youchuan enum', 'JobStatusCreated', 'queued'],
    ['Youchuan enum', 'JobStatusRunning', 'running'],
    ['Youchuan enum', 'JobStatusSuccess', 'finishing'],
    ['no word', undefined, 'running'],
    ['a word nobody documented', 'warming-up', 'running'],
  ] as const)('GIVEN %s "%s" THEN it reads as %s', (_provider, word, stage) => {
    expect(stageOf(word)).toBe(stage);
  });
});

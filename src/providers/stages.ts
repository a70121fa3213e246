/**
 * Where an unfinished task is, in the one vocabulary members read. Providers report it in words
 * of their own (Kie `generating`, APIXO `pending`/`processing`, AceData's state words, Cloudsway's
 * localised comments such as `已创建` and `执行中`); those stay in the logs, and only these reach a
 * message: Queued, Running, or Finishing (done at the provider, results not ready to fetch yet).
 */
export type Stage = 'queued' | 'running' | 'finishing';

export const STAGE_WORDS: Readonly<Record<Stage, string>> = {
  queued: 'Queued',
  running: 'Running',
  finishing: 'Finishing',
};

/** Waiting for a slot at the provider: APIXO and AceData `pending`, Cloudsway's "created", Youchuan's JobStatusCreated/Queued. */
const QUEUED =
  /^(?:pending|queued?|waiting|submitted|created|not_start)$|JobStatus(?:Created|Queued|Pending)|已创建|排队|等待/i;
/** Done upstream, results not published yet: Cloudsway reads "success" a few seconds before its URLs. */
const FINISHING = /^(?:success|succeeded|completed?|finished|done|uploading)$|JobStatusSuccess|成功|完成/i;

/** The stage a provider's own status word stands for; anything unknown is Running. */
export function stageOf(statusWord: string | undefined): Stage {
  const word = statusWord?.trim() ?? '';
  if (QUEUED.test(word)) return 'queued';
  if (FINISHING.test(word)) return 'finishing';
  return 'running';
}

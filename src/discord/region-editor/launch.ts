import { PermissionFlagsBits, PermissionsBitField, Routes } from 'discord.js';
import type { FollowUpOf } from '../../jobs/follow-up.js';
import type { GateSubject } from '../../moderation/gate.js';
import type { BotContext } from '../context.js';
import { followUpJob } from '../follow-up.js';
import type { RegionGrant } from '../region-link.js';
import { regionText } from '../region-text.js';
import { refusals } from '../text.js';
import { jobView, offersRegion } from '../views.js';
import { localeOf } from '../../i18n/locale.js';

export type EditorOutcome = { ok: true; jobId: string } | { ok: false; status: number; message: string };

/**
 * Runs a region the editor page sent: the checks a click gets (the job is still public and
 * finished, the provider still offers it), the moderation gate (block list, prompt filter,
 * allowance) for the member the link was made for, then the job, posted in the parent's channel
 * like any follow-up's message. Every refusal is a sentence for the page to show.
 */
export async function launchFromEditor(
  context: BotContext,
  grant: RegionGrant,
  followUp: FollowUpOf<'region'>,
): Promise<EditorOutcome> {
  const say = regionText(grant.locale);
  const parent = await context.stores.jobs.get(grant.job);
  const adapter = parent && context.adapters.get(parent.provider);
  if (
    !parent ||
    !adapter ||
    parent.visibility !== 'public' ||
    parent.state !== 'succeeded' ||
    !offersRegion(parent, adapter.capabilities, context.publicBaseUrl() !== undefined)
  )
    return { ok: false, status: 409, message: say.notAvailable };
  const subject: GateSubject = {
    guildId: parent.guildId,
    locale: grant.locale ?? null,
    user: { id: grant.user },
    memberPermissions: grant.moderator ? new PermissionsBitField(PermissionFlagsBits.ManageMessages) : null,
    member: null,
  };
  const request = followUpJob(parent, followUp, { channelId: parent.channelId, userId: grant.user });
  const gate = await context.gate.check(subject, [request.prompt], 1);
  if (!gate.ok) {
    if (gate.reason === 'filter')
      await context.desk.refused(parent.guildId, grant.user, gate.category, gate.term, gate.prompt);
    return { ok: false, status: 403, message: gate.message };
  }
  const settings = await context.stores.guilds.get(parent.guildId);
  const created = await context.jobs.createJobs([
    {
      ...request,
      visibility: settings.approvalMode ? 'pending_approval' : 'public',
      translate: settings.translate,
      shownBy: 'post',
    },
  ]);
  if (!created.ok) {
    await context.gate.refund(subject, 1);
    return { ok: false, status: 429, message: refusals(localeOf(grant.locale)).queueFull(created.queued) };
  }
  const [job] = created.jobs;
  if (!job) return { ok: false, status: 500, message: say.notAvailable };
  // The job's own message, paced like any channel write, with the job id as nonce so that posting
  // again after a crash returns this message.
  const { content } = jobView(job, {
    now: context.now(),
    capabilities: adapter.capabilities,
    queuePosition: created.positions[0],
  });
  try {
    await context.publisher.reserveWrite(parent.channelId);
    const message = (await context.publisher.rest.post(Routes.channelMessages(parent.channelId), {
      body: {
        content,
        allowed_mentions: { parse: [], users: [grant.user] },
        nonce: job.id,
        enforce_nonce: true,
      },
    })) as { id: string };
    await context.jobs.attachMessage(job, message.id);
  } catch (error) {
    await context.jobs.abandon([job], 'This job could not be shown in Discord, so it was not started.');
    throw error;
  }
  await context.jobs.launch([job]);
  return { ok: true, jobId: job.id };
}

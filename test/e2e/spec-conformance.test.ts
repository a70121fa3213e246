import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, SpecJudge } from '../../src/sandbox/discord/index.js';
import { buttonLabels, jobIdOf, startE2E, type E2E } from './support.js';

/**
 * Discord's published spec (discord-api-spec) judges a whole run afresh: every request the bot
 * sent and every answer the emulator gave, as recorded, through a judge of its own. The
 * emulator's inline judge refuses or records the same, run by run; this test shows the totals.
 */
describe('a full run judged by Discord’s spec', () => {
  let e2e: E2E;
  let recorded: RecordedRequest[] = [];

  beforeAll(async () => {
    e2e = await startE2E('acedata', { emulator: { recordBodies: true } });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN moderation, /imagine, every button and the commands by id THEN the scenario runs', async () => {
    const { alice, bob, mia } = e2e.seed.users;
    expect(
      e2e.ephemeralOf(await e2e.slash(mia, 'settings', { mod_channel: e2e.seed.channels.modLog }))?.content,
    ).toContain('Settings saved');
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a red bird --ar 16:9'));
    expect(buttonLabels(grid).flat()).toEqual(expect.arrayContaining(['U2', 'V3', '🔄']));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'));
    const followUp = buttonLabels(upscale)
      .flat()
      .find((label) => /Vary|Zoom|Upscale/.test(label));
    if (followUp) await e2e.resultOf(await e2e.click(alice, upscale, followUp));
    await e2e.resultOf(await e2e.click(bob, grid, 'V3'));
    await e2e.resultOf(await e2e.click(bob, grid, '🔄'));
    const id = jobIdOf(grid);
    await e2e.resultOf(await e2e.slash(bob, 'upscale', { job: id, image: 1 }));
    await e2e.resultOf(await e2e.slash(bob, 'vary', { job: id, image: 4, strength: 'strong' }));
    expect(e2e.ephemeralOf(await e2e.slash(bob, 'upscale', { job: 'zzzzzzzz', image: 1 }))?.content).toMatch(
      /don't know job/,
    );
    expect(e2e.ephemeralOf(await e2e.imagine(bob, 'a hardcore porn scene'))?.content).toMatch(/refused/);
    // Approval mode: the moderation desk posts the held result itself, as a file.
    await e2e.slash(mia, 'settings', { approval: true });
    const held = await e2e.imagine(alice, 'a lantern festival');
    const waiting = await e2e.resultOf(held, (message) => message.content.includes('Waiting for a moderator'), 20_000);
    const mirror = await e2e.sandbox.emulator.waitForMessage(
      e2e.seed.channels.modLog,
      (message) => message.content.includes(`Job \`${jobIdOf(waiting)}\``) && message.attachments.length === 1,
      { timeoutMs: 20_000 },
    );
    await e2e.click(mia, mirror, 'Approve');
    await e2e.resultOf(held, (message) => message.attachments.length === 1, 20_000);
    recorded = e2e.sandbox.emulator.requests();
  }, 120_000);

  it('GIVEN every recorded request and answer THEN the spec finds no violation, apart from the documented exceptions', async () => {
    const judge = await SpecJudge.load();
    if (!judge) throw new Error('discord-api-spec is a dev dependency; install it');
    const operations = new Set<string>();
    const violations: string[] = [];
    const excepted = new Map<string, number>();
    let requests = 0;
    let responses = 0;
    for (const entry of recorded) {
      const verdicts = [
        ...(entry.requestBody === undefined
          ? []
          : [{ side: 'request', verdict: judge.request(entry.method, entry.path, entry.requestBody) }]),
        { side: 'response', verdict: judge.response(entry.method, entry.path, entry.status, entry.responseBody) },
      ];
      for (const { side, verdict } of verdicts) {
        if (verdict.outcome === 'unchecked') continue;
        if (side === 'request') requests += 1;
        else responses += 1;
        if (verdict.operationId) operations.add(verdict.operationId);
        for (const id of verdict.excepted) excepted.set(id, (excepted.get(id) ?? 0) + 1);
        for (const error of verdict.errors)
          violations.push(`${side} ${entry.method} ${entry.path} ${error.path.join('.')}[${error.code}]`);
      }
    }
    const exceptions = [...excepted].map(([id, count]) => `${id} ×${count}`).join(', ') || 'none';
    console.log(
      `Discord's spec ${judge.version}: ${requests} requests and ${responses} responses checked across ${operations.size} operations ` +
        `(${[...operations].sort().join(', ')}); ${violations.length} violations; documented exceptions used: ${exceptions}`,
    );
    expect(requests).toBeGreaterThan(20);
    expect(responses).toBeGreaterThanOrEqual(recorded.length - 1);
    expect(violations).toEqual([]);
    // The inline judge saw the same traffic as it happened.
    const inline = e2e.sandbox.emulator.specReport();
    expect(inline.violations).toEqual([]);
    expect(inline.checked.responses).toBeGreaterThanOrEqual(responses);
  });
});

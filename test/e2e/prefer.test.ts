import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { startE2E, type E2E } from './support.js';

/**
 * `/prefer`: a member's own shortcuts, suffix and defaults reach the provider, layered under the
 * prompt and over the server's settings, within what the server forbids. Cloudsway MaaS-MJ takes
 * the prompt as text with its flags, so the simulator's record shows exactly what was sent.
 */
describe('/prefer on Cloudsway MaaS-MJ', () => {
  let e2e: E2E;
  let simulator: CloudswayMjSimulator;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
    simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });
  beforeEach(async () => {
    // Each test starts from a server with no defaults and nothing forbidden.
    const { mia } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { clear: 'forbid' });
    for (const clear of ['version', 'speed', 'aspect']) await e2e.slash(mia, 'settings', { clear });
  });

  const lastText = () => (simulator.submissions.at(-1)?.body as { text: string }).text;
  const say = (interaction: Awaited<ReturnType<E2E['slash']>>) => e2e.ephemeralOf(interaction)?.content ?? '';

  it('GIVEN a shortcut set with /prefer option set THEN --name in a prompt sends its parameters', async () => {
    const { alice } = e2e.seed.users;
    const set = await e2e.slash(alice, 'prefer option set', { name: 'portrait', value: '--ar 2:3 --chaos 40' });
    expect(say(set)).toBe('Saved: --portrait now stands for `--ar 2:3 --chaos 40`.');
    const list = await e2e.slash(alice, 'prefer option list', {});
    expect(say(list)).toBe('--portrait: `--ar 2:3 --chaos 40`');

    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a lighthouse --portrait'));
    expect(grid.attachments).toHaveLength(1);
    expect(lastText()).toMatch(/^a lighthouse .*--ar 2:3/);
    expect(lastText()).toMatch(/--c(haos)? 40/);
    expect(lastText()).not.toContain('portrait');
    // Another member's prompt knows nothing of alice's shortcut.
    const bob = await e2e.imagine(e2e.seed.users.bob, 'a lighthouse --portrait');
    expect(say(bob)).toMatch(/--portrait/);
    expect(say(bob)).toMatch(/^That prompt has a problem/);
  });

  it('GIVEN a shortcut with a bad value or a name that is a parameter THEN /prefer option set says so, naming it', async () => {
    const { alice } = e2e.seed.users;
    const bad = await e2e.slash(alice, 'prefer option set', { name: 'wide', value: '--ar 16' });
    expect(say(bad)).toMatch(/^That prompt has a problem:\n• Your shortcut --wide: /);
    const reserved = await e2e.slash(alice, 'prefer option set', { name: '--ar', value: '--ar 16:9' });
    expect(say(reserved)).toBe("--ar is already a parameter, so it can't be a shortcut name.");
    const list = await e2e.slash(alice, 'prefer option list', {});
    expect(say(list)).not.toContain('--wide');
  });

  it('GIVEN a shortcut the provider refuses THEN /imagine is refused with an error naming the shortcut; delete removes it', async () => {
    const { alice, lucia } = e2e.seed.users;
    await e2e.slash(alice, 'prefer option set', { name: 'me', value: '--profile abc123' });
    const before = simulator.submissions.length;
    const refused = await e2e.imagine(alice, 'a garden --me');
    expect(say(refused)).toMatch(/^Cloudsway MaaS-MJ can't take that prompt:\n• Your shortcut --me: --profile /);
    // In the member's own language too.
    await e2e.slash(lucia, 'prefer option set', { name: 'yo', value: '--profile abc123' });
    expect(say(await e2e.imagine(lucia, 'un jardín --yo'))).toMatch(
      /^Cloudsway MaaS-MJ no puede aceptar ese prompt:\n• Tu atajo --yo: /,
    );
    expect(simulator.submissions).toHaveLength(before);

    const deleted = await e2e.slash(alice, 'prefer option delete', { name: 'me' });
    expect(say(deleted)).toBe('Deleted the shortcut --me.');
    const again = await e2e.slash(alice, 'prefer option delete', { name: 'me' });
    expect(say(again)).toBe('You have no shortcut --me. See /prefer option list.');
  });

  it('GIVEN a suffix THEN it is added to every prompt the member writes, and clearing it stops that', async () => {
    const { bob } = e2e.seed.users;
    const set = await e2e.slash(bob, 'prefer suffix', { value: 'watercolor --chaos 15' });
    expect(say(set)).toBe(
      'Your suffix `watercolor --chaos 15` is now added to the end of every prompt you write here.',
    );
    const grid = await e2e.resultOf(await e2e.imagine(bob, 'a fox in snow'));
    expect(lastText()).toMatch(/^a fox in snow watercolor .*--c(haos)? 15/);
    expect(grid.content.split('\n')[0]).toContain('a fox in snow watercolor --chaos 15');

    const bad = await e2e.slash(bob, 'prefer suffix', { value: '--chaos 500' });
    expect(say(bad)).toMatch(/^That prompt has a problem:\n• /);
    await e2e.slash(bob, 'prefer suffix', {});
    await e2e.resultOf(await e2e.imagine(bob, 'a fox in rain'));
    expect(lastText()).not.toMatch(/watercolor|--c(haos)?/);
  });

  it('GIVEN member defaults and server defaults THEN the prompt wins, then the member, then the server', async () => {
    const { mia, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { aspect: '16:9', speed: 'relax' });
    const saved = await e2e.slash(alice, 'prefer defaults', { aspect: '3:2', stylize: 250 });
    expect(say(saved)).toContain('**Your defaults:** `--ar 3:2 --s 250`');

    const layered = await e2e.resultOf(await e2e.imagine(alice, 'a red kite'));
    expect(lastText()).toMatch(/--ar 3:2/);
    expect(lastText()).toMatch(/--s(tylize)? 250/);
    expect(lastText()).toMatch(/--relax/);
    expect(lastText()).not.toContain('16:9');
    expect(layered.content).toContain('-# Your defaults: --ar 3:2 --s 250');
    expect(layered.content).toContain('-# Server defaults: --relax');

    await e2e.resultOf(await e2e.imagine(alice, 'a red kite --ar 1:1 --s 50'));
    expect(lastText()).toMatch(/--ar 1:1/);
    expect(lastText()).toMatch(/--s(tylize)? 50\b/);
    expect(lastText()).not.toMatch(/3:2|16:9|250/);

    // A member without defaults gets the server's.
    await e2e.resultOf(await e2e.imagine(e2e.seed.users.bob, 'a blue kite'));
    expect(lastText()).toMatch(/--ar 16:9/);
    await e2e.slash(alice, 'prefer defaults', { clear: 'all' });
    const shown = await e2e.slash(alice, 'prefer defaults', {});
    expect(say(shown)).toContain('**Your defaults:** none');
  });

  it('GIVEN a server forbidding --turbo THEN a prompt, a member default or a shortcut asking for it is refused, saying where it came from', async () => {
    const { mia, alice } = e2e.seed.users;
    const forbid = await e2e.slash(mia, 'settings', { forbid: 'turbo --q' });
    expect(say(forbid)).toContain('**Forbidden:** --turbo, --quality');
    const wrong = await e2e.slash(mia, 'settings', { forbid: 'chaos' });
    expect(say(wrong)).toBe(
      '“chaos” can’t be forbidden. You can forbid: fast, relax, turbo, quality, sref, cref, oref.',
    );
    const before = simulator.submissions.length;

    const typed = await e2e.imagine(alice, 'a race car --turbo');
    expect(say(typed)).toBe('That prompt has a problem:\n• This server doesn’t allow --turbo. Use --fast or --relax.');
    const quality = await e2e.imagine(alice, 'a race car --q 2');
    expect(say(quality)).toBe('That prompt has a problem:\n• This server doesn’t allow --quality.');

    await e2e.slash(alice, 'prefer defaults', { speed: 'turbo' });
    const fromDefault = await e2e.imagine(alice, 'a race car');
    expect(say(fromDefault)).toBe(
      'That prompt has a problem:\n• This server doesn’t allow --turbo (your /prefer default). Use --fast or --relax.',
    );
    await e2e.slash(alice, 'prefer defaults', { clear: 'speed' });
    await e2e.slash(alice, 'prefer option set', { name: 'quick', value: '--turbo' });
    const fromShortcut = await e2e.imagine(alice, 'a race car --quick');
    expect(say(fromShortcut)).toBe(
      'That prompt has a problem:\n• This server doesn’t allow --turbo (in your shortcut --quick). Use --fast or --relax.',
    );
    expect(simulator.submissions).toHaveLength(before);

    // What the server allows still runs.
    await e2e.resultOf(await e2e.imagine(alice, 'a race car --relax'));
    expect(lastText()).toMatch(/^a race car .*--relax/);
  });

  it('GIVEN /prefer remix THEN it toggles, starting from the server’s default', async () => {
    const { bob, mia } = e2e.seed.users;
    expect(say(await e2e.slash(bob, 'prefer remix', {}))).toMatch(/^Remix mode is on/);
    expect(say(await e2e.slash(bob, 'prefer remix', {}))).toMatch(/^Remix mode is off/);
    expect(say(await e2e.slash(bob, 'prefer remix', { on: false }))).toMatch(/^Remix mode is off/);
    await e2e.slash(mia, 'settings', { remix: true });
    expect(say(await e2e.slash(mia, 'prefer defaults', {}))).toContain('**Remix:** on (the server’s default)');
    await e2e.slash(mia, 'settings', { remix: false });
  });
});

import { readFileSync } from 'node:fs';
import { type ChatInputCommandInteraction, type Client, Routes, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractOperations, renderOperationsModule, specPackage } from '../../../scripts/spec-operations.js';
import { DiscordEmulator, SPEC_EXCEPTIONS, SpecJudge, type SpecReport } from '../../../src/sandbox/discord/index.js';
import { OperationIndex } from '../../../src/sandbox/discord/spec/operation-index.js';
import { SPEC_OPERATIONS } from '../../../src/sandbox/discord/spec/operations.generated.js';
import { loadSpecSchemas } from '../../../src/sandbox/discord/spec/schemas.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  expectDiscordError,
} from './support/discord-client.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d494844520000000400000004080600000000', 'hex');

/** A judge without the documented exceptions: what the spec alone says. */
async function literalJudge(): Promise<SpecJudge> {
  const schemas = await loadSpecSchemas();
  if (!schemas) throw new Error('discord-api-spec is a dev dependency and must be installed for this test');
  return new SpecJudge(schemas, SPEC_OPERATIONS, []);
}

describe('the operation table', () => {
  it('GIVEN the installed discord-api-spec THEN the committed table is what the generator makes of it', () => {
    const { version, typesPath } = specPackage();
    const generated = renderOperationsModule(extractOperations(readFileSync(typesPath, 'utf8')), version);
    const committed = readFileSync(
      new URL('../../../src/sandbox/discord/spec/operations.generated.ts', import.meta.url),
      'utf8',
    );
    // After upgrading the package: `npm run spec:operations`.
    expect(committed).toBe(generated);
  });

  it('GIVEN a path THEN the operation is found by method and template, a literal segment beating a parameter', () => {
    const index = new OperationIndex(SPEC_OPERATIONS);
    expect(index.find('PATCH', '/webhooks/1/tok/messages/@original')?.operationId).toBe(
      'update_original_webhook_message',
    );
    expect(index.find('PATCH', '/webhooks/1/tok/messages/123')?.operationId).toBe('update_webhook_message');
    expect(index.find('GET', '/users/@me')?.operationId).toBe('get_my_user');
    expect(index.find('GET', '/users/123')?.operationId).toBe('get_user');
    expect(index.find('POST', '/interactions/1/tok/callback')?.operationId).toBe('create_interaction_response');
    expect(index.find('GET', '/nowhere')).toBeUndefined();
  });
});

describe('the judge', () => {
  it('GIVEN an answer that lacks what the spec requires, or a status it does not list THEN a mismatch at that field', async () => {
    const judge = await SpecJudge.load();
    const verdict = judge?.response('GET', '/users/@me', 200, {
      id: '1',
      username: 'x',
      discriminator: '0',
      avatar: null,
      global_name: null,
      public_flags: 0,
      flags: 0,
    });
    expect(verdict?.outcome).toBe('invalid');
    expect(verdict?.errors.map((error) => `${error.path.join('.')}:${error.code}`)).toEqual([
      'mfa_enabled:BASE_TYPE_REQUIRED',
      'locale:BASE_TYPE_REQUIRED',
    ]);
    expect(judge?.response('GET', '/users/@me', 500, { code: 0, message: 'x' }).errors[0]?.code).toBe(
      'STATUS_NOT_IN_SPEC',
    );
    expect(judge?.response('GET', '/nowhere', 200, {}).outcome).toBe('unchecked');
  });
});

describe('Discord’s spec as a second judge', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  let channel: TextChannel;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
    await client.application.commands.set(
      [{ name: 'go', description: 'Go', default_member_permissions: '32' }],
      emulator.seed.guildId,
    );
    channel = client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel;
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  const filePart = [{ name: 'a.png', data: PNG, contentType: 'image/png' }];

  it('GIVEN attachments[].id as the number 0 THEN 400 50035 at attachments.0.id, though the emulator’s own rules accept it', async () => {
    // The emulator's pairing rule reads the id with String(), so 0 names files[0] and passes;
    // the spec types the id as a snowflake string, and so does Discord.
    const body = { content: 'numbered', attachments: [{ id: 0, filename: 'a.png' }] };
    const error = await expectDiscordError(
      client.rest.post(Routes.channelMessages(channel.id), { body, files: filePart }),
      {
        status: 400,
        code: 50035,
        path: 'attachments.0.id',
        errorCode: 'BASE_TYPE_STRING',
      },
    );
    expect(error.message).toContain('attachments[0].id[BASE_TYPE_STRING]');
    expect(emulator.messages(channel.id).some((message) => message.content === 'numbered')).toBe(false);

    const report = await controlReport(emulator);
    expect(report.violations).toContainEqual(
      expect.objectContaining({
        direction: 'request',
        method: 'POST',
        route: '/channels/:channel/messages',
        operationId: 'create_message',
        status: 400,
        errors: [expect.objectContaining({ path: 'attachments.0.id', code: 'BASE_TYPE_STRING' })],
      }),
    );
    const logged = emulator.requests().at(-1);
    expect(logged).toMatchObject({ status: 400, spec: { operation: 'create_message', request: 'invalid' } });

    // The same body, the spec off: only the emulator's rules judge, and they let it through.
    const ownRulesOnly = await DiscordEmulator.start({ spec: 'off' });
    try {
      const response = await fetch(
        `${ownRulesOnly.restUrl}/v10/channels/${ownRulesOnly.seed.channels.imagine}/messages`,
        {
          method: 'POST',
          headers: { authorization: `Bot ${ownRulesOnly.token}` },
          body: multipart(body),
        },
      );
      expect(response.status).toBe(200);
      expect(ownRulesOnly.specReport()).toMatchObject({ enabled: false, checked: { requests: 0, responses: 0 } });
    } finally {
      await ownRulesOnly.stop();
    }
    await channel.send({ content: 'as a string', files: [{ attachment: PNG, name: 'a.png' }] });
  });

  it('GIVEN a bad field inside the spec’s unions of components THEN the error names that field, in the branch the sender meant', async () => {
    const received = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: emulator.seed.users.owner, channelId: channel.id, name: 'go' }),
    );
    const command = received.interaction as ChatInputCommandInteraction;
    // The top-level component is one of seven kinds and a row's child one of six: the error
    // follows `type` to the button, not the union.
    const button = { type: 2, style: 1, custom_id: 'e', emoji: { name: 7 } };
    await expectDiscordError(
      command.reply({ content: 'emoji', components: [{ type: 1, components: [button] }] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.emoji.name',
        errorCode: 'BASE_TYPE_STRING',
      },
    );
    await command.reply({ content: 'fine' });
  });

  it('GIVEN mode record THEN a refused body is recorded but let through to the emulator’s own rules', async () => {
    const recording = await DiscordEmulator.start({ spec: 'record' });
    try {
      const response = await fetch(`${recording.restUrl}/v10/channels/${recording.seed.channels.imagine}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${recording.token}` },
        body: multipart({ content: 'recorded', attachments: [{ id: 0 }] }),
      });
      expect(response.status).toBe(200);
      expect(recording.specReport().violations).toEqual([
        expect.objectContaining({ direction: 'request', status: null, operationId: 'create_message' }),
      ]);
    } finally {
      await recording.stop();
    }
  });

  it('GIVEN every read route the emulator serves THEN its answers conform to the spec', async () => {
    emulator.clearSpecReport();
    const { guildId, users, channels } = emulator.seed;
    const app = emulator.applicationId;
    const paths = [
      '/gateway/bot',
      '/users/@me',
      `/users/${users.alice}`,
      '/applications/@me',
      '/oauth2/applications/@me',
      `/guilds/${guildId}?with_counts=true`,
      `/guilds/${guildId}/roles`,
      `/guilds/${guildId}/channels`,
      `/guilds/${guildId}/members/${users.alice}`,
      `/channels/${channels.imagine}`,
      `/channels/${channels.imagine}/messages`,
      `/applications/${app}/guilds/${guildId}/commands`,
      `/channels/${channels.imagine}/messages/1234567890123456789`,
    ];
    for (const path of paths)
      await fetch(`${emulator.restUrl}/v10${path}`, { headers: { authorization: `Bot ${emulator.token}` } });
    const report = await controlReport(emulator);
    expect(report.checked.responses).toBe(paths.length);
    expect(report.violations).toEqual([]);
  });

  it('GIVEN shapes the bot does not send yet THEN each goes through the judge of its route, with no list to extend', async () => {
    emulator.clearSpecReport();
    emulator.clearRequests();
    const guildId = emulator.seed.guildId;
    // A message context-menu command beside a chat-input one.
    await client.application.commands.set(
      [
        { name: 'go', description: 'Go' },
        { name: 'Describe this', type: 3 },
      ],
      guildId,
    );
    const select = { type: 3, custom_id: 'pick', options: [{ label: 'A', value: 'a' }] };
    const link = { type: 2, style: 5, label: 'Docs', url: 'https://example.com/docs' };
    await client.rest.post(Routes.channelMessages(channel.id), {
      body: {
        content: 'shapes',
        components: [
          { type: 1, components: [select] },
          { type: 1, components: [link] },
        ],
      },
    });
    const video = Buffer.concat([Buffer.from('000000186674797069736f6d', 'hex'), Buffer.alloc(16)]);
    await channel.send({ content: 'clip', files: [{ attachment: video, name: 'clip.mp4' }] });
    const received = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: emulator.seed.users.owner, channelId: channel.id, name: 'go' }),
    );
    await (received.interaction as ChatInputCommandInteraction).showModal({
      custom_id: 'form',
      title: 'Form',
      components: [{ type: 1, components: [{ type: 4, custom_id: 'why', label: 'Why', style: 1 }] }],
    });
    const judged = emulator
      .requests()
      .filter((request) => request.spec?.request)
      .map((request) => `${request.spec?.operation ?? ''}:${request.spec?.request ?? ''}`);
    expect(judged).toEqual([
      'bulk_set_guild_application_commands:valid',
      'create_message:valid',
      'create_message:valid',
      'create_interaction_response:valid',
    ]);
    expect(emulator.specReport().violations).toEqual([]);
  });

  it('GIVEN what the spec requires of a message THEN components carry ids and embeds their type', async () => {
    const row = {
      type: 1,
      components: [
        { type: 2, style: 1, label: 'A', custom_id: 'a' },
        { type: 2, style: 1, label: 'B', custom_id: 'b', id: 2 },
      ],
    };
    const sent = await client.rest.post(Routes.channelMessages(channel.id), {
      body: {
        content: 'ids',
        components: [row, { type: 1, components: [{ type: 2, style: 2, label: 'C', custom_id: 'c' }] }],
        embeds: [{ title: 't' }],
      },
    });
    const message = sent as { components: { id: number; components: { id: number }[] }[]; embeds: { type: string }[] };
    // Numbered in tree order from 1, skipping the id the sender chose.
    expect(message.components.map((top) => [top.id, ...top.components.map((child) => child.id)])).toEqual([
      [1, 3, 2],
      [4, 5],
    ]);
    expect(message.embeds[0]?.type).toBe('rich');
  });
});

describe('where the spec and Discord’s prose disagree', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  let judge: SpecJudge;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({
      recordBodies: true,
      limits: { messageCreate: { limit: 1, windowMs: 60_000 } },
    });
    client = await connectClient(emulator);
    judge = await literalJudge();
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  /** The exchanges of a route, with what the spec alone (no exceptions) says of each. */
  function literally(route: string) {
    return emulator
      .requests()
      .filter((request) => request.route === route)
      .map((request) => ({
        request,
        requestVerdict:
          request.requestBody === undefined ? null : judge.request(request.method, request.path, request.requestBody),
        responseVerdict: judge.response(request.method, request.path, request.status, request.responseBody),
      }));
  }

  it('GIVEN each documented exception THEN it is listed with its reason', () => {
    expect(SPEC_EXCEPTIONS.map((exception) => exception.id)).toEqual([
      'default-member-permissions-string',
      'field-error-codes-strings',
      'rate-limit-body-without-code',
      'deferred-callback-resource',
    ]);
    for (const exception of SPEC_EXCEPTIONS) expect(exception.prose).toMatch(/\.mdx/);
  });

  it('GIVEN default_member_permissions as a string of digits THEN accepted; as any other string THEN refused', async () => {
    await client.application.commands.set(
      [{ name: 'mod', description: 'Moderate', default_member_permissions: '8192' }],
      emulator.seed.guildId,
    );
    const [put] = literally('/applications/:app/guilds/:guild/commands');
    expect(put?.request.status).toBe(200);
    expect(put?.requestVerdict?.errors).toEqual([expect.objectContaining({ path: [0, 'default_member_permissions'] })]);
    const wrong = client.rest.put(Routes.applicationGuildCommands(emulator.applicationId, emulator.seed.guildId), {
      body: [{ name: 'mod', description: 'M', default_member_permissions: 'administrator' }],
    });
    await expectDiscordError(wrong, { status: 400, code: 50035, path: '0.default_member_permissions' });
  });

  it('GIVEN a 50035 answer THEN its _errors codes are strings, as Discord sends them', async () => {
    const channelId = emulator.seed.channels.imagine;
    await expectDiscordError(
      client.rest.post(Routes.channelMessages(channelId), { body: { content: 'x'.repeat(2001) } }),
      { status: 400, code: 50035, path: 'content' },
    );
    const answer = literally('/channels/:channel/messages').find((exchange) => exchange.request.status === 400);
    expect(answer?.responseVerdict.errors.map((error) => error.path.join('.'))).toEqual([
      'errors.content._errors.0.code',
    ]);
    expect(emulator.specReport().exceptions['field-error-codes-strings']).toBeGreaterThan(0);
  });

  it('GIVEN a 429 THEN its body has no code', async () => {
    // Plain fetch: discord.js would wait out the bucket it knows is empty instead of sending.
    const post = (content: string) =>
      fetch(`${emulator.restUrl}/v10/channels/${emulator.seed.channels.modLog}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content }),
      });
    expect((await post('first')).status).toBe(200);
    expect((await post('second')).status).toBe(429);
    const limited = literally('/channels/:channel/messages').find((exchange) => exchange.request.status === 429);
    expect(limited?.request.responseBody).not.toHaveProperty('code');
    expect(limited?.responseVerdict.errors.map((error) => error.path.join('.'))).toEqual(['code']);
    expect(emulator.specReport().exceptions['rate-limit-body-without-code']).toBe(1);
  });

  it('GIVEN a deferred reply with with_response=true THEN the resource is of type 5 with the thinking message', async () => {
    await client.application.commands.set([{ name: 'slow', description: 'Slow' }], emulator.seed.guildId);
    const received = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'slow',
      }),
    );
    const response = await (received.interaction as ChatInputCommandInteraction).deferReply({ withResponse: true });
    expect(response.resource?.type).toBe(5);
    expect(response.resource?.message?.flags.has('Loading')).toBe(true);
    const [callback] = literally('/interactions/:interaction/:token/callback');
    expect(callback?.responseVerdict.errors.map((error) => error.path.join('.'))).toEqual(['resource.type']);
    expect(emulator.specReport().exceptions['deferred-callback-resource']).toBe(1);
    expect(emulator.specReport().violations.filter((violation) => violation.direction === 'response')).toEqual([]);
  });
});

/** The spec report as the playground reads it, over the control API. */
async function controlReport(emulator: DiscordEmulator): Promise<SpecReport> {
  const response = await fetch(`${emulator.controlUrl}/spec`);
  return (await response.json()) as SpecReport;
}

/** A multipart body the way @discordjs/rest builds one, with a numeric attachment id left as sent. */
function multipart(payload: unknown): FormData {
  const form = new FormData();
  form.append('files[0]', new Blob([PNG], { type: 'image/png' }), 'a.png');
  form.append('payload_json', JSON.stringify(payload));
  return form;
}

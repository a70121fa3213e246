import { type ChatInputCommandInteraction, type Client, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  expectDiscordError,
} from './support/discord-client.js';

interface CommandJson {
  id: string;
  options?: Record<string, unknown>[];
}

/** Spanish names a bot might register, as Discord's Localization section shows them. */
const birthday = {
  name: 'birthday',
  description: 'Wish a friend a happy birthday',
  name_localizations: { 'es-ES': 'cumpleaños', 'es-419': 'cumple' },
  description_localizations: { 'es-ES': 'Felicita a un amigo por su cumpleaños' },
  options: [
    {
      name: 'age',
      type: 4,
      description: "Your friend's age",
      name_localizations: { 'es-ES': 'edad' },
      description_localizations: { 'es-ES': 'La edad de tu amigo' },
    },
    {
      name: 'tone',
      type: 3,
      description: 'How to say it',
      choices: [{ name: 'Warm', value: 'warm', name_localizations: { 'es-ES': 'Cálido' } }],
    },
  ],
};

/**
 * The member's client language reaches the bot as `interaction.locale`, and commands carry their
 * translations: Discord's Locales list, its localization limits, and its 8000-character rule.
 */
describe('locales', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  const guildId = () => emulator.seed.guildId;
  /** Registers raw JSON, past discord.js's types, as a bot with a typo in its locales would. */
  const register = (body: unknown) =>
    client.rest.post(Routes.applicationGuildCommands(emulator.applicationId, guildId()), { body });

  async function invoke(userId: string): Promise<ChatInputCommandInteraction> {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId, channelId: emulator.seed.channels.imagine, name: 'birthday' }),
    );
    return interaction as ChatInputCommandInteraction;
  }

  it('GIVEN lucia, whose client speaks es-ES THEN discord.js sees locale es-ES, the guild stays en-US and the command keeps its default name', async () => {
    await client.application.commands.create(birthday, guildId());
    const interaction = await invoke(emulator.seed.users.lucia);
    expect(interaction.locale).toBe('es-ES');
    expect(interaction.guildLocale).toBe('en-US');
    expect(interaction.commandName).toBe('birthday');
    expect(interaction.user.globalName).toBe('Lucía');
    await interaction.reply({ content: '¡Feliz cumpleaños!' });
    const alice = await invoke(emulator.seed.users.alice);
    expect(alice.locale).toBe('en-US');
    await alice.reply({ content: 'Happy birthday!' });
  });

  it('GIVEN a member who switches to es-419 THEN the next interaction carries it', async () => {
    const created = emulator.createUser({ username: 'mateo', locale: 'de' });
    expect(created.locale).toBe('de');
    expect(emulator.setUserLocale(created.id, 'es-419')).toEqual({ id: created.id, locale: 'es-419' });
    const interaction = await invoke(created.id);
    expect(interaction.locale).toBe('es-419');
    await interaction.reply({ content: '¡Feliz cumple!' });
  });

  it('GIVEN the control API THEN users take a locale from Discord’s list and may change it, and anything else is refused', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${emulator.controlUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post('/users', { username: 'ines', locale: 'pt-BR' });
    expect(created.status).toBe(201);
    const { id, locale } = (await created.json()) as { id: string; locale: string };
    expect(locale).toBe('pt-BR');
    expect((await post(`/users/${id}/locale`, { locale: 'fr' })).status).toBe(200);
    expect(emulator.core.store.requireUser(id).locale).toBe('fr');
    // `pt-PT` and `es-MX` are real languages but not Discord locales; `ar` is in the OpenAPI enum only.
    for (const wrong of ['pt-PT', 'es-MX', 'ar', 'en'])
      expect((await post('/users', { username: 'x', locale: wrong })).status).toBe(400);
    expect((await post(`/users/${id}/locale`, { locale: 'es' })).status).toBe(400);
    expect((await post('/users/123/locale', { locale: 'fr' })).status).toBe(404);
  });

  it('GIVEN Spanish localizations THEN a single GET and with_localizations return them, and the plain list names only the requester’s locale', async () => {
    const created = await client.application.commands.create(birthday, guildId());
    const fetched = await client.application.commands.fetch(created.id, { guildId: guildId(), force: true });
    expect(fetched.nameLocalizations).toEqual(birthday.name_localizations);
    expect(fetched.descriptionLocalizations).toEqual(birthday.description_localizations);
    expect(fetched.options[0]).toMatchObject({ nameLocalizations: { 'es-ES': 'edad' } });
    const withLocalizations = await client.application.commands.fetch({ guildId: guildId(), withLocalizations: true });
    const listed = withLocalizations.get(created.id);
    expect(listed?.nameLocalizations).toEqual(birthday.name_localizations);
    expect(listed?.options[1]).toMatchObject({
      choices: [{ name: 'Warm', nameLocalizations: { 'es-ES': 'Cálido' } }],
    });
    // Without with_localizations Discord leaves the dictionaries out ("Retrieving localized commands")
    // and names the requester's locale only. discord.js keeps cached dictionaries, so read the JSON.
    const route = `/applications/${emulator.applicationId}/guilds/${guildId()}/commands` as const;
    const spanish = (await client.rest.get(route, { headers: { 'X-Discord-Locale': 'es-ES' } })) as CommandJson[];
    const inSpanish = spanish.find((command) => command.id === created.id);
    expect(inSpanish).toMatchObject({
      name_localized: 'cumpleaños',
      description_localized: 'Felicita a un amigo por su cumpleaños',
      options: [{ name: 'age', name_localized: 'edad' }, { choices: [{ name: 'Warm', name_localized: 'Cálido' }] }],
    });
    expect(inSpanish).not.toHaveProperty('name_localizations');
    expect(inSpanish?.options?.[0]).not.toHaveProperty('name_localizations');
    const plain = (await client.rest.get(route)) as CommandJson[];
    expect(plain.find((command) => command.id === created.id)).not.toHaveProperty('name_localized');
  });

  it('GIVEN a localized value identical to the default THEN Discord ignores it', async () => {
    const created = (await register({
      name: 'ping',
      description: 'Ping',
      name_localizations: { de: 'ping', fr: 'salut' },
    })) as { name_localizations: unknown };
    expect(created.name_localizations).toEqual({ fr: 'salut' });
  });

  it('GIVEN a key that is not a Discord locale THEN 50035 BASE_TYPE_CHOICES at that key', async () => {
    await expectDiscordError(register({ ...birthday, name_localizations: { 'es-MX': 'cumpleaños' } }), {
      status: 400,
      code: 50035,
      path: 'name_localizations.es-MX',
      errorCode: 'BASE_TYPE_CHOICES',
    });
    const badOption = { ...birthday.options[0], description_localizations: { es: 'La edad' } };
    await expectDiscordError(register({ ...birthday, options: [badOption] }), {
      status: 400,
      code: 50035,
      path: 'options.0.description_localizations.es',
      errorCode: 'BASE_TYPE_CHOICES',
    });
  });

  it('GIVEN an upper-case localized name THEN APPLICATION_COMMAND_INVALID_NAME, per locale for an option and for the whole dictionary on a command', async () => {
    await expectDiscordError(register({ ...birthday, name_localizations: { 'es-ES': 'Cumpleaños' } }), {
      status: 400,
      code: 50035,
      path: 'name_localizations',
      errorCode: 'APPLICATION_COMMAND_INVALID_NAME',
    });
    const upper = { ...birthday.options[0], name_localizations: { 'es-ES': 'Edad' } };
    await expectDiscordError(register({ ...birthday, options: [upper] }), {
      status: 400,
      code: 50035,
      path: 'options.0.name_localizations.es-ES',
      errorCode: 'APPLICATION_COMMAND_INVALID_NAME',
    });
    const spaced = { ...birthday.options[0], name_localizations: { 'es-ES': 'la edad' } };
    await expectDiscordError(register({ ...birthday, options: [spaced] }), {
      status: 400,
      code: 50035,
      path: 'options.0.name_localizations.es-ES',
    });
  });

  it('GIVEN a localized description of 101 characters or a localized name of 33 THEN BASE_TYPE_MAX_LENGTH at that key', async () => {
    await expectDiscordError(register({ ...birthday, description_localizations: { 'es-ES': 'd'.repeat(101) } }), {
      status: 400,
      code: 50035,
      path: 'description_localizations.es-ES',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    await expectDiscordError(register({ ...birthday, name_localizations: { fr: 'a'.repeat(33) } }), {
      status: 400,
      code: 50035,
      path: 'name_localizations.fr',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    const longChoice = {
      ...birthday.options[1],
      choices: [{ name: 'Warm', value: 'warm', name_localizations: { 'es-ES': 'c'.repeat(101) } }],
    };
    await expectDiscordError(register({ ...birthday, options: [longChoice] }), {
      status: 400,
      code: 50035,
      path: 'options.0.choices.0.name_localizations.es-ES',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    // 100 characters is still a description.
    await register({ ...birthday, description_localizations: { 'es-ES': 'd'.repeat(100) } });
  });

  it('GIVEN an option whose localized name is a sibling’s name THEN it is refused at that key', async () => {
    const [age, tone] = birthday.options;
    const clash = { ...age, name_localizations: { 'es-ES': 'tone' } };
    await expectDiscordError(register({ ...birthday, options: [clash, tone] }), {
      status: 400,
      code: 50035,
      path: 'options.0.name_localizations.es-ES',
    });
  });

  it('GIVEN localizations THEN the 8000-character limit counts each field’s longest text, not their sum', async () => {
    // Defaults weigh a few hundred characters; each choice's longest name weighs 100.
    const optionsWith = (count: number, locales: string[]) =>
      Array.from({ length: count }, (_, option) => ({
        name: `o${option}`,
        description: 'd',
        type: 3,
        choices: Array.from({ length: 25 }, (_, choice) => ({
          name: `c${choice}`,
          value: 'v',
          name_localizations: Object.fromEntries(locales.map((locale) => [locale, `c${choice}`.padEnd(100, 'x')])),
        })),
      }));
    // 3 × 25 × 100 = 7500: fits, however many locales repeat that length.
    await register({ name: 'long', description: 'Long', options: optionsWith(3, ['es-ES', 'fr', 'de']) });
    // 4 × 25 × 100 = 10 000 through one localization, though the defaults alone are small.
    const error = await expectDiscordError(
      register({ name: 'longer', description: 'Longer', options: optionsWith(4, ['es-ES']) }),
      { status: 400, code: 50035 },
    );
    expect(error.rawError).toMatchObject({ errors: { _errors: [{ code: 'APPLICATION_COMMAND_TOO_LARGE' }] } });
  });
});

import type { EmulatorCore } from '../core.js';
import { discordErrors } from '../errors.js';
import { commandJson, localizedCommandJson } from '../state/serialize.js';
import type { ApplicationCommand } from '../state/types.js';
import { type CommandInput, parseCommand, parseCommandList, storedOptions } from '../validate/commands.js';
import { requesterLocale, withoutDefaults } from '../validate/localizations.js';
import { noContent, ok, type RestContext, type RestRoute } from './route.js';

/**
 * Command registration, global (`/applications/{app}/commands`) and per guild
 * (`/applications/{app}/guilds/{guild}/commands`), with Discord's validation of every command.
 */
function scopeOf({ core, params }: RestContext): string | null {
  if (params.app !== core.applicationId) throw discordErrors.missingAccess();
  if (params.guild === undefined) return null;
  const guild = core.store.requireGuild(params.guild);
  if (!guild.members.has(core.botUserId)) throw discordErrors.missingAccess();
  return guild.id;
}

function commandsIn(core: EmulatorCore, guildId: string | null): ApplicationCommand[] {
  return [...core.store.commands.values()].filter((command) => command.guildId === guildId);
}

function requireCommand(context: RestContext): ApplicationCommand {
  const guildId = scopeOf(context);
  const command = context.core.store.commands.get(context.params.command ?? '');
  if (!command || command.guildId !== guildId) throw discordErrors.unknownCommand();
  return command;
}

/** Stores a command; a command with the same name and type keeps its id, as on Discord. */
function save(
  core: EmulatorCore,
  guildId: string | null,
  input: CommandInput,
  existing?: ApplicationCommand,
): ApplicationCommand {
  const command: ApplicationCommand = {
    id: existing?.id ?? core.ids.next(),
    applicationId: core.applicationId,
    guildId,
    version: core.ids.next(),
    type: input.type,
    name: input.name,
    nameLocalizations: withoutDefaults(input.name, input.name_localizations) ?? null,
    description: input.description,
    descriptionLocalizations: withoutDefaults(input.description, input.description_localizations) ?? null,
    options: storedOptions(input.options ?? []),
    defaultMemberPermissions: input.default_member_permissions ?? null,
    nsfw: input.nsfw ?? false,
    contexts: input.contexts ?? null,
    integrationTypes: input.integration_types ?? [0],
  };
  core.store.commands.set(command.id, command);
  return command;
}

function overwrite(context: RestContext) {
  const { core } = context;
  const guildId = scopeOf(context);
  const inputs = parseCommandList(context.body.json, guildId === null ? 'global' : 'guild');
  const previous = commandsIn(core, guildId);
  for (const command of previous) core.store.commands.delete(command.id);
  const saved = inputs.map((input) =>
    save(
      core,
      guildId,
      input,
      previous.find((command) => command.name === input.name && command.type === input.type),
    ),
  );
  return ok(saved.map(commandJson));
}

function create(context: RestContext) {
  const { core } = context;
  const guildId = scopeOf(context);
  const input = parseCommand(context.body.json);
  const existing = commandsIn(core, guildId).find(
    (command) => command.name === input.name && command.type === input.type,
  );
  return { status: existing ? 200 : 201, body: commandJson(save(core, guildId, input, existing)) };
}

function edit(context: RestContext) {
  const command = requireCommand(context);
  const current = commandJson(command);
  const input = parseCommand({ ...current, ...(context.body.json as object) });
  return ok(commandJson(save(context.core, command.guildId, input, command)));
}

function remove(context: RestContext) {
  const command = requireCommand(context);
  context.core.store.commands.delete(command.id);
  return noContent();
}

/**
 * The batch GET leaves out the localization dictionaries unless `with_localizations` is true, and
 * gives `name_localized`/`description_localized` in the requester's locale instead
 * (application-commands.mdx, "Retrieving localized commands").
 */
function list(context: RestContext) {
  const commands = commandsIn(context.core, scopeOf(context));
  if (booleanQuery(context.query.get('with_localizations'))) return ok(commands.map(commandJson));
  const locale = requesterLocale(context.headers);
  return ok(commands.map((command) => localizedCommandJson(command, locale)));
}

/** Discord's boolean query strings: `True`, `true` or `1` (developers/reference.mdx, "Boolean Query Strings"). */
const booleanQuery = (value: string | null) => value === 'True' || value === 'true' || value === '1';

function routesUnder(base: string): RestRoute[] {
  return [
    {
      method: 'GET',
      template: base,
      auth: 'bot',
      handle: list,
    },
    { method: 'PUT', template: base, auth: 'bot', handle: overwrite },
    { method: 'POST', template: base, auth: 'bot', handle: create },
    {
      method: 'GET',
      template: `${base}/:command`,
      auth: 'bot',
      handle: (context) => ok(commandJson(requireCommand(context))),
    },
    { method: 'PATCH', template: `${base}/:command`, auth: 'bot', handle: edit },
    { method: 'DELETE', template: `${base}/:command`, auth: 'bot', handle: remove },
  ];
}

export const commandRoutes: readonly RestRoute[] = [
  ...routesUnder('/applications/:app/commands'),
  ...routesUnder('/applications/:app/guilds/:guild/commands'),
];

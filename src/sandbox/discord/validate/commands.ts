import { z } from 'zod';
import { CommandType, OptionType } from '../constants.js';
import { DiscordApiError, discordErrors } from '../errors.js';
import { discordIssue, fieldErrorsFromZod, toFormErrors } from './form-errors.js';
import { checkLocalizations, type Localizations, longest, withoutDefaults } from './localizations.js';

/** Command and option names (interactions/application-commands.mdx:18). */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_COMMAND_SIZE = 8000;
const MAX_GLOBAL_CHAT_INPUT_COMMANDS = 100;

const name = z.string().regex(NAME_PATTERN);
const localizations = z.record(z.string(), z.string()).nullish();
const NAME_LENGTH = { min: 1, max: 32 };
const DESCRIPTION_LENGTH = { min: 1, max: 100 };

export interface CommandChoice {
  name: string;
  name_localizations?: Localizations | null;
  value: string | number;
  [key: string]: unknown;
}

const choice: z.ZodType<CommandChoice> = z
  .looseObject({
    name: z.string().min(1).max(100),
    name_localizations: localizations,
    value: z.union([z.string().max(100), z.number()]),
  })
  .superRefine((entry, context) => {
    checkLocalizations(entry.name_localizations, 'name_localizations', { min: 1, max: 100 }, context);
  });

export interface CommandOption {
  type: number;
  name: string;
  name_localizations?: Localizations | null;
  description: string;
  description_localizations?: Localizations | null;
  required?: boolean | null;
  choices?: CommandChoice[] | null;
  options?: CommandOption[] | null;
  autocomplete?: boolean | null;
  min_value?: number | null;
  max_value?: number | null;
  min_length?: number | null;
  max_length?: number | null;
  channel_types?: number[] | null;
  [key: string]: unknown;
}

const optionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z
    .looseObject({
      type: z.int().min(OptionType.Subcommand).max(OptionType.Attachment),
      name,
      name_localizations: localizations,
      description: z.string().min(1).max(100),
      description_localizations: localizations,
      required: z.boolean().nullish(),
      choices: z.array(choice).max(25).nullish(),
      options: z.array(optionSchema).max(25).nullish(),
      autocomplete: z.boolean().nullish(),
      min_value: z.number().nullish(),
      max_value: z.number().nullish(),
      min_length: z.int().min(0).max(6000).nullish(),
      max_length: z.int().min(1).max(6000).nullish(),
      channel_types: z.array(z.int()).nullish(),
    })
    .superRefine((option, context) => {
      if (option.name !== option.name.toLowerCase()) context.addIssue(lowercaseIssue());
      // An option's bad localized name is named per locale; a command's is not (below).
      const localizedNames = checkLocalizations(option.name_localizations, 'name_localizations', NAME_LENGTH, context);
      for (const [locale, text] of localizedNames)
        if (!isChatInputName(text)) context.addIssue(lowercaseIssue(['name_localizations', locale]));
      checkLocalizations(option.description_localizations, 'description_localizations', DESCRIPTION_LENGTH, context);
      if (option.autocomplete && option.choices?.length) {
        context.addIssue(
          discordIssue('AUTOCOMPLETE_CHOICES_MUTUALLY_EXCLUSIVE', 'Autocomplete and choices cannot both be set', [
            'autocomplete',
          ]),
        );
      }
      if (option.options) checkOptionList(option.options, context);
    }),
);

const lowercaseIssue = (path: PropertyKey[] = ['name']) =>
  discordIssue('APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid', path);

/** The naming rule of chat-input commands and options: the pattern, and lower case where a letter has one. */
const isChatInputName = (text: string) => NAME_PATTERN.test(text) && text === text.toLowerCase();

/** Sibling rules: unique names, required before optional, subcommands not mixed with values. */
function checkOptionList(options: readonly CommandOption[], context: z.RefinementCtx): void {
  const names = new Set<string>();
  let optionalSeen = false;
  const nested = options.filter(
    (option) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup,
  );
  options.forEach((option, index) => {
    if (names.has(option.name)) {
      context.addIssue(
        discordIssue('APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', 'Option names must be unique', [
          'options',
          index,
          'name',
        ]),
      );
    }
    names.add(option.name);
    checkLocalizedNameClash(options, index, context);
    if (option.required && optionalSeen) {
      const message = 'Required options must be placed before non-required options';
      context.addIssue(
        discordIssue('APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message, ['options', index, 'required']),
      );
    }
    if (!option.required) optionalSeen = true;
  });
  if (nested.length > 0 && nested.length < options.length) {
    const message = 'Sub-command and sub-command group option types are mutually exclusive to all other types';
    context.addIssue(discordIssue('APPLICATION_COMMAND_OPTION_TYPE_INVALID', message, ['options']));
  }
}

/**
 * "Localized option names … must be distinct from all other default option names of that command, as
 * well as all other option names within that locale" (application-commands.mdx, Localization), read
 * among siblings, where default names must be unique too. Discord's error code here is unconfirmed.
 */
function checkLocalizedNameClash(options: readonly CommandOption[], index: number, context: z.RefinementCtx): void {
  const option = options[index];
  if (!option?.name_localizations) return;
  for (const [locale, text] of Object.entries(option.name_localizations)) {
    if (text === option.name) continue;
    const clash = options.some(
      (other, otherIndex) =>
        otherIndex !== index && (other.name === text || other.name_localizations?.[locale] === text),
    );
    if (clash) {
      context.addIssue(
        discordIssue('APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', 'Option names must be unique', [
          'options',
          index,
          'name_localizations',
          locale,
        ]),
      );
    }
  }
}

export const commandSchema = z
  .looseObject({
    name: z.string().min(1).max(32),
    name_localizations: localizations,
    type: z.int().min(CommandType.ChatInput).max(CommandType.PrimaryEntryPoint).default(CommandType.ChatInput),
    description: z.string().max(100).default(''),
    description_localizations: localizations,
    options: z.array(optionSchema).max(25).nullish(),
    default_member_permissions: z.string().regex(/^\d+$/).nullish(),
    dm_permission: z.boolean().nullish(),
    contexts: z.array(z.int()).nullish(),
    integration_types: z.array(z.int()).nullish(),
    nsfw: z.boolean().nullish(),
  })
  .superRefine((command, context) => {
    const localizedNames = checkLocalizations(command.name_localizations, 'name_localizations', NAME_LENGTH, context);
    checkLocalizations(command.description_localizations, 'description_localizations', DESCRIPTION_LENGTH, context);
    if (command.type === CommandType.ChatInput) {
      // Discord names no locale for a command's bad localized name (discord/discord-api-docs#7712).
      if (localizedNames.some(([, text]) => !isChatInputName(text)))
        context.addIssue(lowercaseIssue(['name_localizations']));
      if (!NAME_PATTERN.test(command.name))
        context.addIssue(discordIssue('STRING_TYPE_REGEX', 'String value did not match validation regex.', ['name']));
      else if (command.name !== command.name.toLowerCase()) context.addIssue(lowercaseIssue());
      if (command.description.length < 1)
        context.addIssue(discordIssue('BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.', ['description']));
    } else if (command.description !== '') {
      context.addIssue(
        discordIssue('APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED', 'Only chat input commands may have a description', [
          'description',
        ]),
      );
    }
    if (command.options) checkOptionList(command.options, context);
    if (commandSize(command) > MAX_COMMAND_SIZE) {
      context.addIssue(
        discordIssue('APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_SIZE})`),
      );
    }
  });

export type CommandInput = z.infer<typeof commandSchema>;

interface Localized {
  name: string;
  name_localizations?: Localizations | null;
  description: string;
  description_localizations?: Localizations | null;
}

/**
 * The characters Discord counts towards the 8000 limit (application-commands.mdx:450): names,
 * descriptions and choice values; "when localization fields are present, only the longest
 * localization for each field (including the default value) is counted".
 */
function commandSize(command: Localized & { options?: readonly CommandOption[] | null }): number {
  const texts = (field: Localized) =>
    longest(field.name, field.name_localizations) + longest(field.description, field.description_localizations);
  const optionSize = (option: CommandOption): number =>
    texts(option) +
    (option.choices ?? []).reduce(
      (sum, entry) => sum + longest(entry.name, entry.name_localizations) + String(entry.value).length,
      0,
    ) +
    (option.options ?? []).reduce((sum, child) => sum + optionSize(child), 0);
  return texts(command) + (command.options ?? []).reduce((sum, option) => sum + optionSize(option), 0);
}

/** Options as Discord keeps them: localized texts identical to the default dropped, at every depth. */
export function storedOptions(options: readonly CommandOption[]): CommandOption[] {
  return options.map((option) => ({
    ...option,
    ...localizedFields(option),
    ...(option.choices
      ? {
          choices: option.choices.map((entry) =>
            'name_localizations' in entry
              ? { ...entry, name_localizations: withoutDefaults(entry.name, entry.name_localizations) }
              : entry,
          ),
        }
      : {}),
    ...(option.options ? { options: storedOptions(option.options) } : {}),
  }));
}

function localizedFields(field: Localized): Partial<Localized> {
  return {
    ...('name_localizations' in field
      ? { name_localizations: withoutDefaults(field.name, field.name_localizations) }
      : {}),
    ...('description_localizations' in field
      ? { description_localizations: withoutDefaults(field.description, field.description_localizations) }
      : {}),
  };
}

export function parseCommand(input: unknown): CommandInput {
  const result = commandSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw discordErrors.invalidFormBody(toFormErrors(fieldErrorsFromZod(result.error.issues)));
  return result.data;
}

/** A bulk overwrite: each command at its array index in the error tree, plus duplicate names and the count limit. */
export function parseCommandList(input: unknown, scope: 'global' | 'guild'): CommandInput[] {
  const result = z
    .array(commandSchema)
    .superRefine((commands, context) => {
      const seen = new Set<string>();
      commands.forEach((command, index) => {
        const key = `${command.type}:${command.name}`;
        if (seen.has(key))
          context.addIssue(
            discordIssue('APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`, [
              index,
              'name',
            ]),
          );
        seen.add(key);
      });
    })
    .safeParse(input, { reportInput: true });
  if (!result.success) throw discordErrors.invalidFormBody(toFormErrors(fieldErrorsFromZod(result.error.issues)));
  const chatInput = result.data.filter((command) => command.type === CommandType.ChatInput).length;
  if (scope === 'global' && chatInput > MAX_GLOBAL_CHAT_INPUT_COMMANDS) {
    throw new DiscordApiError(
      400,
      30032,
      `Maximum number of application commands reached (${MAX_GLOBAL_CHAT_INPUT_COMMANDS})`,
    );
  }
  return result.data;
}

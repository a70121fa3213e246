import { z } from 'zod';
import { CommandType, OptionType } from '../constants.js';
import { DiscordApiError, discordErrors } from '../errors.js';
import { discordIssue, fieldErrorsFromZod, toFormErrors } from './form-errors.js';

/** Command and option names (interactions/application-commands.mdx:18). */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_COMMAND_SIZE = 8000;
const MAX_GLOBAL_CHAT_INPUT_COMMANDS = 100;

const name = z.string().regex(NAME_PATTERN);
const choice = z.looseObject({ name: z.string().min(1).max(100), value: z.union([z.string().max(100), z.number()]) });

export interface CommandOption {
  type: number;
  name: string;
  description: string;
  required?: boolean | null;
  choices?: { name: string; value: string | number }[] | null;
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
      description: z.string().min(1).max(100),
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

const lowercaseIssue = () => discordIssue('APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid', ['name']);

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

export const commandSchema = z
  .looseObject({
    name: z.string().min(1).max(32),
    type: z.int().min(CommandType.ChatInput).max(CommandType.PrimaryEntryPoint).default(CommandType.ChatInput),
    description: z.string().max(100).default(''),
    options: z.array(optionSchema).max(25).nullish(),
    default_member_permissions: z.string().regex(/^\d+$/).nullish(),
    dm_permission: z.boolean().nullish(),
    contexts: z.array(z.int()).nullish(),
    integration_types: z.array(z.int()).nullish(),
    nsfw: z.boolean().nullish(),
  })
  .superRefine((command, context) => {
    if (command.type === CommandType.ChatInput) {
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

/** The characters Discord counts towards the 8000 limit (application-commands.mdx:450). */
function commandSize(command: {
  name: string;
  description: string;
  options?: readonly CommandOption[] | null;
}): number {
  const optionSize = (option: CommandOption): number =>
    option.name.length +
    option.description.length +
    (option.choices ?? []).reduce((sum, entry) => sum + entry.name.length + String(entry.value).length, 0) +
    (option.options ?? []).reduce((sum, child) => sum + optionSize(child), 0);
  return (
    command.name.length +
    command.description.length +
    (command.options ?? []).reduce((sum, option) => sum + optionSize(option), 0)
  );
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

// What a member can type, from the commands the bot registered: the Discord client's rules.

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
};

const ADMINISTRATOR = 1n << 3n;

/** `default_member_permissions`: null is everyone, "0" is administrators only, else every listed bit. */
export function canUse(command, permissions) {
  if (command.default_member_permissions == null) return true;
  if ((permissions & ADMINISTRATOR) === ADMINISTRATOR) return true;
  const required = BigInt(command.default_member_permissions);
  return required !== 0n && (permissions & required) === required;
}

/**
 * Chat input commands as the member types them: one entry per leaf, so `/mod` with subcommands
 * becomes `/mod block`, `/mod banword add`, … each with its own options, as Discord lists them.
 */
export function typableCommands(commands, permissions) {
  const entries = [];
  const walk = (path, description, options) => {
    const nested = options.filter(
      (option) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup,
    );
    if (nested.length === 0) {
      entries.push({ name: path.join(' '), description, options });
      return;
    }
    for (const option of nested) walk([...path, option.name], option.description, option.options ?? []);
  };
  for (const command of commands) {
    if ((command.type ?? 1) !== 1 || !canUse(command, permissions)) continue;
    walk([command.name], command.description, command.options ?? []);
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** Commands whose name starts with what was typed after the slash (any word of it, as Discord matches). */
export function matchCommands(entries, typed) {
  const query = typed.trim().toLowerCase();
  if (!query) return entries;
  const starts = entries.filter((entry) => entry.name.startsWith(query));
  const words = entries.filter(
    (entry) => !entry.name.startsWith(query) && entry.name.split(' ').some((word) => word.startsWith(query)),
  );
  return [...starts, ...words];
}

export const OPTION_TYPE_NAMES = {
  [OptionType.String]: 'text',
  [OptionType.Integer]: 'whole number',
  [OptionType.Number]: 'number',
  [OptionType.Boolean]: 'true or false',
  [OptionType.User]: 'member',
  [OptionType.Channel]: 'channel',
  [OptionType.Role]: 'role',
  [OptionType.Mentionable]: 'member or role',
  [OptionType.Attachment]: 'file',
};

/**
 * What the member typed or picked → the value the control API expects, or a message saying what
 * is wrong, in the Discord client's words. Picked values (choices, members…) are already typed.
 */
export function optionValue(option, field) {
  if (field.picked) return { ok: true, value: field.value };
  const text = field.text.trim();
  if (option.choices?.length) {
    const choice = option.choices.find(
      (candidate) => candidate.name.toLowerCase() === text.toLowerCase() || String(candidate.value) === text,
    );
    return choice
      ? { ok: true, value: choice.value }
      : { ok: false, message: `Pick one of the choices for ${option.name}.` };
  }
  switch (option.type) {
    case OptionType.String:
      if (option.min_length != null && text.length < option.min_length)
        return { ok: false, message: `${option.name} needs at least ${option.min_length} characters.` };
      if (option.max_length != null && text.length > option.max_length)
        return { ok: false, message: `${option.name} takes at most ${option.max_length} characters.` };
      return { ok: true, value: text };
    case OptionType.Integer:
    case OptionType.Number: {
      const integer = option.type === OptionType.Integer;
      const number = Number(text);
      if (text === '' || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
        return { ok: false, message: `${option.name} must be ${integer ? 'a whole number' : 'a number'}.` };
      }
      if (option.min_value != null && number < option.min_value)
        return { ok: false, message: `${option.name} must be at least ${option.min_value}.` };
      if (option.max_value != null && number > option.max_value)
        return { ok: false, message: `${option.name} must be at most ${option.max_value}.` };
      return { ok: true, value: number };
    }
    case OptionType.Boolean:
      if (/^(true|yes)$/i.test(text)) return { ok: true, value: true };
      if (/^(false|no)$/i.test(text)) return { ok: true, value: false };
      return { ok: false, message: `${option.name} is True or False.` };
    default:
      return { ok: false, message: `Pick a ${OPTION_TYPE_NAMES[option.type] ?? 'value'} for ${option.name}.` };
  }
}

/** The choices to offer for an option that has a fixed list (choices, booleans, members, roles, channels). */
export function fixedChoices(option, world) {
  if (option.choices?.length) return option.choices.map((choice) => ({ name: choice.name, value: choice.value }));
  const members = () => Object.entries(world.names.users).map(([id, name]) => ({ name, value: id, hint: 'member' }));
  const roles = () =>
    Object.entries(world.names.roles)
      .filter(([id]) => id !== world.guild.id)
      .map(([id, name]) => ({ name, value: id, hint: 'role' }));
  switch (option.type) {
    case OptionType.Boolean:
      return [
        { name: 'True', value: true },
        { name: 'False', value: false },
      ];
    case OptionType.User:
      return members();
    case OptionType.Role:
      return roles();
    case OptionType.Mentionable:
      return [...members(), ...roles()];
    case OptionType.Channel:
      return world.channels.map((channel) => ({ name: `#${channel.name}`, value: channel.id }));
    default:
      return undefined;
  }
}

/**
 * A field of the composer (`{ option, text, picked, value, file }`) → its value, `undefined` for
 * an optional field left empty, or what is missing. Typed names of members, roles and channels
 * count when they match one exactly, as when picked from the list.
 */
export function fieldValue(field, world) {
  const { option } = field;
  if (option.type === OptionType.Attachment)
    return field.file ? { ok: true } : { ok: false, message: `Choose a file for ${option.name}.` };
  if (!field.picked && field.text.trim() === '')
    return option.required ? { ok: false, message: `${option.name} is required.` } : { ok: true, value: undefined };
  const entities =
    option.choices?.length || option.type === OptionType.Boolean ? undefined : fixedChoices(option, world);
  if (!field.picked && entities) {
    const typed = field.text.trim().toLowerCase().replace(/^[@#]/, '');
    const match = entities.find((choice) => choice.name.toLowerCase().replace(/^#/, '') === typed);
    return match
      ? { ok: true, value: match.value }
      : { ok: false, message: `Pick a ${OPTION_TYPE_NAMES[option.type]} from the list for ${option.name}.` };
  }
  return optionValue(option, field);
}

import { describe, expect, it } from 'vitest';
import { ApplicationCommandType } from 'discord.js';
import { commandDefinitions, commands, messageCommands } from '../../commands/index.js';
import { missingSpanish } from '../../commands/localizations.js';

/** Spanish-speaking members see the commands in Spanish: every command and option is localized. */
describe('command localizations', () => {
  it.each(commands.map((command) => [command.definition.name, command.definition] as const))(
    'GIVEN /%s THEN every option has Spanish words',
    (_name, definition) => {
      expect(missingSpanish(definition)).toEqual([]);
    },
  );

  it('GIVEN the registered definitions THEN es-ES and es-419 both name /imagine in Spanish, and the key stays imagine', () => {
    const imagine = commandDefinitions.find((definition) => definition.name === 'imagine');
    expect(imagine?.name_localizations).toEqual({ 'es-ES': 'imaginar', 'es-419': 'imaginar' });
    expect(imagine?.description_localizations?.['es-ES']).toBe('Crea imágenes a partir de un prompt');
  });

  it("GIVEN every localization THEN it keeps Discord's rules: names lower-case, 1–32 word characters; descriptions 1–100", () => {
    const names: string[] = [];
    const descriptions: string[] = [];
    const walk = (node: { name_localizations?: unknown; description_localizations?: unknown; options?: unknown[] }) => {
      names.push(...Object.values((node.name_localizations ?? {}) as Record<string, string>));
      descriptions.push(...Object.values((node.description_localizations ?? {}) as Record<string, string>));
      for (const child of node.options ?? []) walk(child as typeof node);
    };
    // Slash commands' rules; message commands' names are shown as written (below).
    for (const definition of commandDefinitions)
      if (definition.type !== ApplicationCommandType.Message) walk(definition);
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) expect(name).toMatch(/^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$/u);
    for (const description of descriptions) expect(description.length).toBeGreaterThan(0);
    expect(descriptions.filter((description) => description.length > 100)).toEqual([]);
  });

  it('GIVEN the Apps menu commands THEN each has a Spanish name in both locales, of 1–32 characters, and no description', () => {
    const registered = commandDefinitions.filter((definition) => definition.type === ApplicationCommandType.Message);
    expect(registered.map((definition) => definition.name)).toEqual(
      messageCommands.map((command) => command.definition.name),
    );
    for (const definition of registered) {
      const spanish = definition.name_localizations ?? {};
      expect(Object.keys(spanish).sort()).toEqual(['es-419', 'es-ES']);
      expect(spanish['es-ES']).not.toBe(definition.name);
      expect(spanish['es-ES']?.length).toBeGreaterThan(0);
      expect(spanish['es-ES']?.length).toBeLessThanOrEqual(32);
      expect('description' in definition).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { commandDefinitions, commands } from '../../commands/index.js';
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
});

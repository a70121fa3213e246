import { describe, expect, it } from 'vitest';
import { DiscordApiError } from '../../../src/sandbox/discord/errors.js';
import { parseCommand, parseCommandList } from '../../../src/sandbox/discord/validate/commands.js';
import { toFormErrors } from '../../../src/sandbox/discord/validate/form-errors.js';
import { isEmptyMessage, parseMessageBody } from '../../../src/sandbox/discord/validate/message.js';

/** Runs a parser and returns the Discord error it threw. */
function rejection(run: () => unknown): DiscordApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof DiscordApiError) return error;
    throw error;
  }
  throw new Error('expected a DiscordApiError');
}

describe('form errors', () => {
  it('GIVEN field errors THEN nests them by path with string indices under _errors', () => {
    expect(
      toFormErrors([
        {
          path: ['data', 'components', 0, 'custom_id'],
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 100 or fewer in length.',
        },
      ]),
    ).toEqual({
      data: {
        components: {
          '0': {
            custom_id: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }] },
          },
        },
      },
    });
  });
});

describe('message bodies', () => {
  it('GIVEN a wrong type or a missing required field THEN Discord’s codes', () => {
    const wrongType = rejection(() => parseMessageBody({ content: 5 }));
    expect(wrongType.errors).toEqual({
      content: { _errors: [{ code: 'BASE_TYPE_STRING', message: 'Could not interpret "5" as string.' }] },
    });
    const missing = rejection(() =>
      parseMessageBody({ components: [{ type: 1, components: [{ type: 2, style: 5, label: 'x' }] }] }),
    );
    expect(missing.errors).toMatchObject({
      components: { '0': { components: { '0': { url: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } } } },
    });
  });

  it('GIVEN components v2 THEN up to 40 components, and no content beside them', () => {
    const text = (index: number) => ({ type: 10, content: `line ${index}` });
    expect(
      parseMessageBody({ flags: 1 << 15, components: Array.from({ length: 40 }, (_, index) => text(index)) })
        .components,
    ).toHaveLength(40);
    const tooMany = rejection(() =>
      parseMessageBody({ flags: 1 << 15, components: Array.from({ length: 41 }, (_, index) => text(index)) }),
    );
    expect(tooMany.errors).toMatchObject({ components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } });
    const withContent = rejection(() => parseMessageBody({ flags: 1 << 15, content: 'hi', components: [text(0)] }));
    expect(Object.keys(withContent.errors ?? {})).toEqual(['content']);
    // Editing a v2 message keeps v2 rules even when the edit does not repeat the flag.
    expect(parseMessageBody({ components: [text(0)] }, [], 1 << 15).components).toHaveLength(1);
  });

  it('GIVEN nothing to show THEN the message is empty', () => {
    expect(isEmptyMessage({ content: ' ', attachmentCount: 0 })).toBe(true);
    expect(isEmptyMessage({ content: '', attachmentCount: 1 })).toBe(false);
    expect(isEmptyMessage({ embeds: [{}], attachmentCount: 0 })).toBe(false);
  });
});

describe('application commands', () => {
  const valid = {
    name: 'imagine',
    description: 'Draw',
    options: [{ name: 'prompt', description: 'p', type: 3, required: true }],
  };

  it('GIVEN a valid command THEN defaults type to chat input', () => {
    expect(parseCommand(valid)).toMatchObject({ name: 'imagine', type: 1 });
  });

  it('GIVEN a bad name, description or option order THEN 50035 at that path', () => {
    expect(rejection(() => parseCommand({ ...valid, name: 'Imagine' })).errors).toMatchObject({
      name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] },
    });
    expect(rejection(() => parseCommand({ ...valid, name: 'has space' })).errors).toMatchObject({
      name: { _errors: [{ code: 'STRING_TYPE_REGEX' }] },
    });
    expect(rejection(() => parseCommand({ ...valid, description: '' })).errors).toMatchObject({
      description: { _errors: [{ code: 'BASE_TYPE_MIN_LENGTH' }] },
    });
    expect(rejection(() => parseCommand({ ...valid, description: 'd'.repeat(101) })).errors).toMatchObject({
      description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] },
    });
    const optionalFirst = {
      ...valid,
      options: [
        { name: 'a', description: 'a', type: 3 },
        { name: 'b', description: 'b', type: 3, required: true },
      ],
    };
    expect(rejection(() => parseCommand(optionalFirst)).errors).toMatchObject({
      options: { '1': { required: { _errors: [{ code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' }] } } },
    });
    const choices = Array.from({ length: 26 }, (_, index) => ({ name: `c${index}`, value: `c${index}` }));
    expect(
      rejection(() => parseCommand({ ...valid, options: [{ name: 'c', description: 'c', type: 3, choices }] })).errors,
    ).toMatchObject({ options: { '0': { choices: {} } } });
  });

  it('GIVEN more than 8000 characters THEN APPLICATION_COMMAND_TOO_LARGE at the root', () => {
    const options = Array.from({ length: 25 }, (_, index) => ({
      name: `o${index}`,
      description: 'd'.repeat(100),
      type: 3,
      choices: Array.from({ length: 25 }, (_, choice) => ({ name: `n${choice}`.padEnd(100, 'x'), value: 'v' })),
    }));
    expect(rejection(() => parseCommand({ ...valid, options })).errors).toMatchObject({
      _errors: [{ code: 'APPLICATION_COMMAND_TOO_LARGE' }],
    });
  });

  it('GIVEN a bulk overwrite THEN errors are indexed, duplicates refused, and 101 global commands hit 30032', () => {
    expect(rejection(() => parseCommandList([valid, { ...valid, description: '' }], 'global')).errors).toMatchObject({
      '1': { description: {} },
    });
    expect(rejection(() => parseCommandList([valid, valid], 'global')).errors).toMatchObject({
      '1': { name: { _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME' }] } },
    });
    const many = Array.from({ length: 101 }, (_, index) => ({ name: `c${index}`, description: 'd' }));
    expect(rejection(() => parseCommandList(many, 'global')).code).toBe(30032);
    expect(parseCommandList(many, 'guild')).toHaveLength(101);
  });
});

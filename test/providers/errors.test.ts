import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { PROVIDER_ERROR_CODES, ProviderError, providerText } from '../../src/providers/errors.js';

describe('ProviderError names its code', () => {
  it.each(PROVIDER_ERROR_CODES)(
    'GIVEN code %s THEN the name, String() and the stack start with ProviderError[<code>]',
    (code) => {
      const error = new ProviderError(code, 'kie POST /api/v1/mj/generate: HTTP 429');
      expect(error.name).toBe(`ProviderError[${code}]`);
      expect(String(error)).toBe(`ProviderError[${code}]: kie POST /api/v1/mj/generate: HTTP 429`);
      expect(error.stack?.split('\n')[0]).toBe(`ProviderError[${code}]: kie POST /api/v1/mj/generate: HTTP 429`);
      expect(error).toBeInstanceOf(ProviderError);
    },
  );

  it('GIVEN a ProviderError logged as err THEN pino writes the coded name and stack, and the class as its type', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    logger.error(
      { err: new ProviderError('rate_limited', 'kie GET /api/v1/mj/record-info: HTTP 429', { status: 429 }) },
      'status query failed',
    );
    const { err } = JSON.parse(lines.join('')) as {
      err: { type: string; name: string; stack: string; code: string; status: number };
    };
    expect(err).toMatchObject({
      type: 'ProviderError',
      name: 'ProviderError[rate_limited]',
      code: 'rate_limited',
      status: 429,
    });
    expect(err.stack).toMatch(/^ProviderError\[rate_limited\]: kie GET \/api\/v1\/mj\/record-info: HTTP 429\n\s+at /);
  });
});

describe('providerText', () => {
  it('GIVEN a provider message with links, mentions, markdown and control characters THEN a plain short sentence is left', () => {
    const raw =
      'Invalid **param** --ar 99:1, see https://evil.example/x?y=1 <@123456789012345678> @everyone `code`\u0000\u202e||spoiler||';
    expect(providerText(raw)).toBe('Invalid param --ar 99:1, see (link) code spoiler');
  });

  it('GIVEN a long message THEN it is cut at 160 characters with an ellipsis', () => {
    const shown = providerText('word '.repeat(100));
    expect(shown).toHaveLength(160);
    expect(shown.endsWith('…')).toBe(true);
  });
});

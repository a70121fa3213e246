import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { PROVIDER_ENV_PREFIXES } from '../../../src/config.js';
import { playgroundEnvironment } from '../../../src/sandbox/playground/environment.js';

const environmentFor = (source: Record<string, string>) => playgroundEnvironment(parseConfig(source), source);

describe('the playground environment', () => {
  it('GIVEN no keys and no STORE_URL THEN every provider is simulated at sandbox speed, on an in-memory store', () => {
    expect(environmentFor({})).toEqual({ STORE_URL: 'sqlite://:memory:', MAX_PROMPTS_PER_COMMAND: '10' });
  });

  it('GIVEN STORE_URL THEN the playground keeps its jobs there', () => {
    expect(environmentFor({ STORE_URL: 'sqlite://./data/playground.sqlite' }).STORE_URL).toBe(
      'sqlite://./data/playground.sqlite',
    );
  });

  it('GIVEN a real key without PLAYGROUND_REAL_PROVIDERS THEN the playground still simulates every provider', () => {
    expect(environmentFor({ KIE_KEY: 'kie-secret', KIE_BASE_URL: 'https://kie.example.org' })).toEqual({
      STORE_URL: 'sqlite://:memory:',
      MAX_PROMPTS_PER_COMMAND: '10',
    });
  });

  it('GIVEN a real Kie.ai key and PLAYGROUND_REAL_PROVIDERS THEN its variables pass through, it is the default, and polling keeps its real pace', () => {
    const environment = environmentFor({
      PLAYGROUND_REAL_PROVIDERS: 'true',
      KIE_KEY: 'kie-secret',
      KIE_BASE_URL: 'https://kie.example.org',
      APIXO_BASE_URL: 'https://apixo.example.org',
    });
    expect(environment).toMatchObject({
      KIE_KEY: 'kie-secret',
      KIE_BASE_URL: 'https://kie.example.org',
      DEFAULT_PROVIDER: 'kie',
      PROVIDER_TIME_SCALE: '1',
    });
    // APIXO has no key: its simulator runs, and its base URL must not point the bot elsewhere.
    expect(environment).not.toHaveProperty('APIXO_BASE_URL');
  });

  it('GIVEN a real Cloudsway MaaS-MJ key THEN key, base URL and endpoint path pass through', () => {
    const environment = environmentFor({
      PLAYGROUND_REAL_PROVIDERS: 'true',
      CLOUDSWAY_MJ_KEY: 'mj-secret',
      CLOUDSWAY_MJ_ENDPOINT_PATH: 'maas-abc',
      CLOUDSWAY_MJ_BASE_URL: 'https://mj.example.org/v1/ai',
    });
    expect(environment).toMatchObject({
      CLOUDSWAY_MJ_KEY: 'mj-secret',
      CLOUDSWAY_MJ_ENDPOINT_PATH: 'maas-abc',
      CLOUDSWAY_MJ_BASE_URL: 'https://mj.example.org/v1/ai',
    });
  });

  it('GIVEN provider ids THEN prefixes match .env.example', () => {
    expect(PROVIDER_ENV_PREFIXES['cloudsway-image']).toBe('CLOUDSWAY_IMAGE');
    expect(PROVIDER_ENV_PREFIXES.acedata).toBe('ACEDATA');
  });
});

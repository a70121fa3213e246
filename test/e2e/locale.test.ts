import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support.js';

/**
 * A member is answered in their Discord's language: Lucía's client speaks Spanish, Alice's English.
 * The refusal is the same decision in both; only its words change.
 */
describe("refusals and errors in the member's language (kie)", () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const privately = async (userId: string, prompt: string) =>
    e2e.ephemeralOf(await e2e.imagine(userId, prompt))?.content ?? '';

  it('GIVEN a prompt with a bad value THEN Lucía reads the problem in Spanish and Alice in English', async () => {
    const { alice, lucia } = e2e.seed.users;
    expect(await privately(lucia, 'un gato --chaos 101')).toBe(
      'Ese prompt tiene un problema:\n• --chaos debe ser un número entero de 0 a 100 (se recibió 101).',
    );
    expect(await privately(alice, 'a cat --chaos 101')).toBe(
      'That prompt has a problem:\n• --chaos must be a whole number from 0 to 100 (got 101).',
    );
  });

  it('GIVEN Lucía switches her Discord to es-419 and then to English THEN the answers follow her', async () => {
    const { lucia } = e2e.seed.users;
    try {
      e2e.sandbox.emulator.setUserLocale(lucia, 'es-419');
      expect(await privately(lucia, 'un gato --fast --relax')).toContain('Usa solo uno de --fast, --relax o --turbo');
      e2e.sandbox.emulator.setUserLocale(lucia, 'en-US');
      expect(await privately(lucia, 'a cat --fast --relax')).toContain('Use only one of --fast, --relax or --turbo');
    } finally {
      e2e.sandbox.emulator.setUserLocale(lucia, 'es-ES');
    }
  });

  it('GIVEN Lucía is blocked THEN she is told so in Spanish, and nothing is made', async () => {
    const { mia, lucia } = e2e.seed.users;
    await e2e.slash(mia, 'mod block', { user: lucia });
    try {
      expect(await privately(lucia, 'un faro en la tormenta')).toBe(
        'Se te ha bloqueado para crear imágenes en este servidor. Pregunta a un moderador si crees que es un error.',
      );
    } finally {
      await e2e.slash(mia, 'mod unblock', { user: lucia });
    }
  });

  it('GIVEN a good prompt from Lucía THEN her grid arrives as anyone else’s', async () => {
    const result = await e2e.resultOf(await e2e.imagine(e2e.seed.users.lucia, 'un faro en la tormenta --ar 3:2'));
    expect(result.attachments).toHaveLength(1);
  });

  it('GIVEN the commands the bot registered THEN Discord holds their Spanish names and descriptions', () => {
    const imagine = e2e.sandbox.emulator.commands(e2e.seed.guildId).find((command) => command.name === 'imagine');
    expect(imagine?.name_localizations).toEqual({ 'es-ES': 'imaginar', 'es-419': 'imaginar' });
    const options = imagine?.options as { name: string; name_localizations?: Record<string, string> }[];
    expect(options.find((option) => option.name === 'image')?.name_localizations?.['es-ES']).toBe('imagen');
  });

  it('GIVEN Lucía asks /vary for an image her upscale does not have THEN the refusal is in Spanish and names what it offers', async () => {
    const { lucia } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(lucia, 'un puente de piedra'), undefined, 20_000);
    const upscale = await e2e.resultOf(await e2e.click(lucia, grid, 'U2'), undefined, 20_000);
    const jobId = /Job `([a-z0-9]+)`/.exec(upscale.content)?.[1];
    const refused = e2e.ephemeralOf(await e2e.slash(lucia, 'vary', { job: jobId, image: 3 }));
    expect(refused?.content).toMatch(
      new RegExp(
        `^El trabajo \`${jobId}\` tiene una imagen, así que no hay imagen 3\\. Kie\\.ai ofrece .* en la imagen 1\\.$`,
      ),
    );
  });

  it('GIVEN /info from Lucía THEN her jobs and allowance are described in Spanish', async () => {
    const info = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.lucia, 'info', {}));
    expect(info?.content).toMatch(
      /^\*\*En marcha:\*\* .*\n\*\*En cola:\*\* .*\n\*\*Cupo:\*\* sin límite \(\d+ hoy\)\n\*\*Proveedor:\*\* Kie\.ai/,
    );
  });
});

import { pino } from 'pino';
import { PROVIDER_IDS, type ProviderId, type ProviderSettings } from '../config.js';
import { PARAM_NAMES } from '../prompt/types.js';
import { blendRange } from './abilities.js';
import { CLOUDSWAY_MJ_UPSTREAM_OUTPAINT_NOTE } from './cloudsway-mj/capabilities.js';
import { createAdapter, PROVIDER_NAMES } from './index.js';
import type { ProviderAdapter } from './types.js';

/**
 * The README's provider tables, generated from the adapters' own declarations so they cannot
 * drift: a test compares the README with this output (`npm run docs:tables` rewrites it).
 */
function adapters(): [ProviderId, ProviderAdapter][] {
  return PROVIDER_IDS.map((id) => [id, documentationAdapter(id)]);
}

function documentationAdapter(id: ProviderId, extra: Partial<ProviderSettings> = {}): ProviderAdapter {
  return createAdapter(
    { id, baseUrl: 'http://127.0.0.1:9', key: 'documentation', endpointPath: 'docs', model: 'gpt-image-1', ...extra },
    { logger: pino({ level: 'silent' }) },
  );
}

/** Settings an admin must turn on, and what they add; the table marks what they add as opt-in. */
const OPT_INS: Partial<Record<ProviderId, { settings: Partial<ProviderSettings>; note: string }>> = {
  'cloudsway-mj': { settings: { upstreamOutpaint: true }, note: CLOUDSWAY_MJ_UPSTREAM_OUTPAINT_NOTE },
};

/** A cell as the default adapter has it, with what the opt-in adapter has instead when that differs. */
function withOptIn(base: string, optedIn: string | undefined): string {
  if (optedIn === undefined || optedIn === base) return base;
  return base === '—' ? `${optedIn} (opt-in²)` : `${base} (opt-in²: ${optedIn})`;
}

/** How a provider treats prompts not in English, as the table says it. */
const TRANSLATION = {
  'on-request': 'when asked (/settings translate)',
  always: 'always, on its own',
  none: '—',
} as const;

/** How each provider takes the region, as the table says it. */
const REGION_FORMS: Record<string, string> = {
  areas: '✅ polygons',
  'mask-url': '✅ mask URL (needs PUBLIC_BASE_URL)',
  'mask-upload': '✅ mask PNG',
};

function cell(native: boolean, emulated?: string): string {
  if (emulated) return 'emulated¹';
  return native ? '✅' : '—';
}

export function capabilityTable(): string {
  const all = adapters();
  const header = `| action | ${all.map(([id]) => PROVIDER_NAMES[id]).join(' | ')} |`;
  const divider = `|---|${all.map(() => '---').join('|')}|`;
  const rows: [string, (adapter: ProviderAdapter) => string][] = [
    ['imagine (2×2 grid)', () => '✅'],
    [
      'upscale U1–U4',
      (adapter) => cell(adapter.capabilities.actions.upscale.length > 0, adapter.capabilities.emulated.upscale),
    ],
    ['upscale types on a grid', (adapter) => adapter.capabilities.actions.upscale.join(', ') || '—'],
    ['upscale again (on an upscale)', (adapter) => adapter.capabilities.actions.upscaleAgain.join(', ') || '—'],
    ['vary V1–V4', (adapter) => cell(adapter.capabilities.actions.vary.length > 0, adapter.capabilities.emulated.vary)],
    [
      'vary strengths (grid / upscale)',
      (adapter) =>
        `${adapter.capabilities.actions.vary.join(', ') || '—'} / ${adapter.capabilities.actions.varyOnUpscale.join(', ') || '—'}`,
    ],
    ['reroll 🔄', (adapter) => cell(adapter.capabilities.actions.reroll, adapter.capabilities.emulated.reroll)],
    [
      'zoom out (on an upscale)',
      (adapter) => {
        const factors = adapter.capabilities.actions.zoom.map((factor) => `${factor}x`).join(', ');
        return factors === '' ? '—' : `${factors}${adapter.capabilities.emulated.zoom ? ' (emulated¹)' : ''}`;
      },
    ],
    [
      'Custom Zoom (1.1–2)',
      (adapter) => cell(adapter.capabilities.actions.customZoom, adapter.capabilities.emulated.zoom),
    ],
    [
      'Make Square (non-square upscale)',
      (adapter) => cell(adapter.capabilities.actions.square, adapter.capabilities.emulated.square),
    ],
    ['pan ⬅️ ➡️ ⬆️ ⬇️', (adapter) => cell(adapter.capabilities.actions.pan, adapter.capabilities.emulated.pan)],
    ['Animate (High / Low motion) on an upscale', (adapter) => cell(adapter.capabilities.actions.video)],
    ['Extend on a video', (adapter) => cell(adapter.capabilities.actions.videoExtend)],
    ['HD video (/settings hd_video)', (adapter) => cell(adapter.capabilities.actions.videoHd)],
    [
      'Remix: a new prompt with',
      (adapter) =>
        `${adapter.capabilities.remix.join(', ') || '—'}${adapter.capabilities.remix.includes('vary') ? '' : ' (a remixed vary is a new imagine)'}`,
    ],
    [
      'Vary (Region) on an upscale',
      (adapter) => REGION_FORMS[String(adapter.capabilities.actions.regionRedraw)] ?? '—',
    ],
    [
      'image prompts',
      (adapter) =>
        adapter.capabilities.limits.maxImagePrompts > 0 ? `up to ${adapter.capabilities.limits.maxImagePrompts}` : '—',
    ],
    ['/blend (images only)', (adapter) => blendRange(adapter) ?? '—'],
    ['/describe', (adapter) => cell(adapter.describe !== undefined)],
    ['/shorten', (adapter) => cell(adapter.shorten !== undefined)],
    ['percent progress', (adapter) => cell(adapter.capabilities.progress)],
    ['callbacks', (adapter) => cell(adapter.capabilities.callbacks)],
    ['synchronous', (adapter) => cell(adapter.capabilities.synchronous)],
    ['translation', (adapter) => TRANSLATION[adapter.capabilities.translation]],
    ['speeds', (adapter) => adapter.capabilities.limits.speeds.join(', ')],
    ['prompt length', (adapter) => String(adapter.capabilities.limits.promptLength)],
  ];
  const optedIn = new Map(
    Object.entries(OPT_INS).map(([id, optIn]) => [id, documentationAdapter(id as ProviderId, optIn.settings)]),
  );
  const lines = rows.map(([label, value]) => {
    const cells = all.map(([id, adapter]) => {
      const other = optedIn.get(id);
      return withOptIn(value(adapter), other && value(other));
    });
    return `| ${label} | ${cells.join(' | ')} |`;
  });
  const notes = all.flatMap(([id, adapter]) =>
    Object.entries(adapter.capabilities.emulated).map(([action, how]) => `- ${PROVIDER_NAMES[id]}, ${action}: ${how}`),
  );
  const optInNotes = Object.entries(OPT_INS).map(
    ([id, optIn]) => `- ${PROVIDER_NAMES[id as ProviderId]}: ${optIn.note}`,
  );
  return [
    header,
    divider,
    ...lines,
    '',
    "¹ Emulated with the provider's documented endpoints:",
    ...notes,
    '',
    '² Only when an admin turns it on:',
    ...optInNotes,
  ].join('\n');
}

const HANDLING = { native: '✅', mapped: 'mapped', ignored: 'ignored', refused: 'refused' } as const;

export function parameterTable(): string {
  const all = adapters();
  const header = `| parameter | ${all.map(([id]) => PROVIDER_NAMES[id]).join(' | ')} |`;
  const divider = `|---|${all.map(() => '---').join('|')}|`;
  const lines = PARAM_NAMES.map((name) => {
    const cells = all.map(([, adapter]) => {
      const support = adapter.parameters[name];
      const note = support.note && support.handling !== 'native' ? ` (${support.note.replace(/\|/g, '/')})` : '';
      return `${HANDLING[support.handling]}${note}`;
    });
    return `| --${name} | ${cells.join(' | ')} |`;
  });
  return [header, divider, ...lines].join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${name} section`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}

import { localeOf, type Localized } from '../i18n/locale.js';
import type { LinkRefusal } from './region-link.js';

/** What Vary (Region) says, in Discord and on the editor page, in each language a member reads. */
export interface RegionText {
  editorLink(minutes: number): string;
  openEditor: string;
  choosePreset: string;
  presetPlaceholder: string;
  unknownPreset: string;
  modalTitle(preset: string): string;
  promptLabel: string;
  badPrompt(problem: string): string;
  /** The editor page refusing a link. */
  linkRefused: Record<LinkRefusal, string>;
  /** The editor page: the job is gone, unfinished, removed, or no longer offers the action. */
  notAvailable: string;
  badSubmission(problem: string): string;
  submitted: string;
}

const REGION_TEXT: Localized<RegionText> = {
  en: {
    editorLink: (minutes) =>
      `Draw the region to repaint on the editor page. The link is yours, for this image, for ${minutes} minutes.`,
    openEditor: 'Open the editor',
    choosePreset: 'Choose the region to repaint.',
    presetPlaceholder: 'A region of the image',
    unknownPreset: 'That region is not one of the choices. Click Vary (Region) again and pick one from the list.',
    modalTitle: (preset) => `Vary (Region): ${preset}`.slice(0, 45),
    promptLabel: 'Prompt for the region (optional)',
    badPrompt: (problem) => `The prompt was not used: ${problem}.`,
    linkRefused: {
      malformed: 'This is not a Vary (Region) link. Click Vary (Region) under the image for one.',
      signature:
        'This link is not valid: it was changed, or made for another member or image. Click Vary (Region) under the image for your own.',
      expired: 'This link has expired. Click Vary (Region) under the image for a new one.',
    },
    notAvailable: 'Vary (Region) is no longer available on this image.',
    badSubmission: (problem) => `The region was not sent: ${problem}.`,
    submitted: 'Sent. The result will appear in the channel.',
  },
  es: {
    editorLink: (minutes) =>
      `Dibuja la región que quieres repintar en la página del editor. El enlace es tuyo, para esta imagen, durante ${minutes} minutos.`,
    openEditor: 'Abrir el editor',
    choosePreset: 'Elige la región que quieres repintar.',
    presetPlaceholder: 'Una región de la imagen',
    unknownPreset: 'Esa región no es una de las opciones. Pulsa Vary (Region) otra vez y elige una de la lista.',
    modalTitle: (preset) => `Vary (Region): ${preset}`.slice(0, 45),
    promptLabel: 'Prompt para la región (opcional)',
    badPrompt: (problem) => `No se usó el prompt: ${problem}.`,
    linkRefused: {
      malformed: 'Este no es un enlace de Vary (Region). Pulsa Vary (Region) bajo la imagen para obtener uno.',
      signature:
        'Este enlace no es válido: se modificó, o es de otro miembro o de otra imagen. Pulsa Vary (Region) bajo la imagen para obtener el tuyo.',
      expired: 'Este enlace ha caducado. Pulsa Vary (Region) bajo la imagen para obtener uno nuevo.',
    },
    notAvailable: 'Vary (Region) ya no está disponible en esta imagen.',
    badSubmission: (problem) => `No se envió la región: ${problem}.`,
    submitted: 'Enviado. El resultado aparecerá en el canal.',
  },
};

export function regionText(locale: string | null | undefined): RegionText {
  return REGION_TEXT[localeOf(locale)];
}

export function regionTextFor(interaction: { locale?: string | null }): RegionText {
  return regionText(interaction.locale);
}

import type {
  APIApplicationCommandOption,
  LocalizationMap,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { DISCORD_LOCALES } from '../src/i18n/locale.js';

/** A command's or option's words in one language; options and choices by their default name. */
interface Words {
  name: string;
  description: string;
  options?: Record<string, Words>;
  /** Choice name in English → in this language; choices not listed keep their name (provider names, 2x). */
  choices?: Record<string, string>;
}

const JOB: Words = { name: 'trabajo', description: 'El id del trabajo (aparece bajo cada resultado)' };
const IMAGE_NUMBER: Words = {
  name: 'imagen',
  description: 'Qué imagen: 1 arriba izquierda, 2 arriba derecha, 3 abajo izquierda, 4 abajo derecha',
};
const USER: Words = { name: 'usuario', description: 'Quién' };
const TERM: Words = { name: 'término', description: 'Una palabra o frase' };

/** Spanish, for Discord's es-ES and es-419. Interactions still carry the default names. */
const SPANISH: Record<string, Words> = {
  imagine: {
    name: 'imaginar',
    description: 'Crea imágenes a partir de un prompt',
    options: {
      prompt: { name: 'prompt', description: 'Qué imaginar, con parámetros como --ar 16:9 --chaos 20' },
      image: { name: 'imagen', description: 'Una imagen que usar como prompt de imagen' },
    },
  },
  blend: {
    name: 'combinar',
    description: 'Combina de 2 a 5 imágenes en otras nuevas',
    options: {
      image1: { name: 'imagen1', description: 'Imagen 1 que combinar' },
      image2: { name: 'imagen2', description: 'Imagen 2 que combinar' },
      image3: { name: 'imagen3', description: 'Imagen 3 que combinar (opcional)' },
      image4: { name: 'imagen4', description: 'Imagen 4 que combinar (opcional)' },
      image5: { name: 'imagen5', description: 'Imagen 5 que combinar (opcional)' },
      dimensions: {
        name: 'dimensiones',
        description: 'La forma del resultado (el aspecto por defecto del servidor, si no cuadrada)',
        choices: {
          'Portrait (2:3)': 'Vertical (2:3)',
          'Square (1:1)': 'Cuadrada (1:1)',
          'Landscape (3:2)': 'Horizontal (3:2)',
        },
      },
    },
  },
  describe: {
    name: 'describir',
    description: 'Cuatro prompts que describen una imagen',
    options: {
      image: { name: 'imagen', description: 'La imagen que describir' },
      url: { name: 'url', description: 'O un enlace a la imagen que describir' },
    },
  },
  shorten: {
    name: 'acortar',
    description: 'Versiones más cortas de un prompt, para imaginarlas con un botón',
    options: { prompt: { name: 'prompt', description: 'El prompt que acortar' } },
  },
  upscale: {
    name: 'ampliar',
    description: 'Amplía una imagen de una cuadrícula',
    options: {
      job: JOB,
      image: IMAGE_NUMBER,
      type: {
        name: 'tipo',
        description: 'Tipo de ampliación, donde el proveedor lo ofrece',
        choices: { Default: 'Normal', Subtle: 'Sutil', Creative: 'Creativa' },
      },
    },
  },
  vary: {
    name: 'variar',
    description: 'Crea variaciones de una imagen',
    options: {
      job: JOB,
      image: IMAGE_NUMBER,
      strength: {
        name: 'intensidad',
        description: 'Fuerte (más cambio) o sutil',
        choices: { Strong: 'Fuerte', Subtle: 'Sutil' },
      },
    },
  },
  settings: {
    name: 'ajustes',
    description: 'Muestra o cambia los ajustes de imagen de este servidor',
    options: {
      provider: { name: 'proveedor', description: 'El servicio de imágenes' },
      version: { name: 'versión', description: 'Versión del modelo por defecto, p. ej. 7 o niji 6' },
      speed: {
        name: 'velocidad',
        description: 'Velocidad por defecto',
        choices: { '🐇 Fast': '🐇 Rápida', '🐢 Relax': '🐢 Relajada', '⚡ Turbo': '⚡ Turbo' },
      },
      aspect: { name: 'aspecto', description: 'Relación de aspecto por defecto, p. ej. 16:9' },
      buttons: {
        name: 'botones',
        description: 'Quién puede pulsar los botones de un trabajo',
        choices: { Anyone: 'Cualquiera', 'Only the job’s owner': 'Solo quien creó el trabajo' },
      },
      concurrency: { name: 'simultáneos', description: 'Trabajos que un miembro puede tener en marcha a la vez' },
      queue: { name: 'cola', description: 'Trabajos que pueden esperar en la cola de este servidor' },
      translate: {
        name: 'traducir',
        description: 'Pide al proveedor que traduzca los prompts que no estén en inglés (activado por defecto)',
      },
      mod_channel: { name: 'canal_mod', description: 'Dónde se reflejan los resultados para los moderadores' },
      mod_role: { name: 'rol_mod', description: 'Un rol que puede usar los botones de moderación y /mod' },
      approval: { name: 'aprobación', description: 'Retener los resultados hasta que un moderador los apruebe' },
      daily_limit: {
        name: 'límite_diario',
        description: 'Trabajos por miembro y día (0: sin límite; los moderadores no cuentan)',
      },
      remix: { name: 'remix', description: 'Modo Remix para los miembros que no lo han elegido con /prefer remix' },
      hd_video: {
        name: 'vídeo_hd',
        description: 'Animar hace vídeos HD donde el proveedor puede (cuestan más)',
      },
      forbid: {
        name: 'prohibir',
        description: 'Velocidades y parámetros costosos que rechazar, p. ej. "turbo quality"',
      },
      clear: {
        name: 'restablecer',
        description: 'Vuelve al valor por defecto de un ajuste',
        choices: {
          'Moderation channel (no mirror)': 'Canal de moderación (sin reflejo)',
          'Moderator role (Manage Messages only)': 'Rol de moderador (solo Gestionar mensajes)',
          'Provider (the bot’s default)': 'Proveedor (el del bot)',
          'Default version (the provider’s)': 'Versión por defecto (la del proveedor)',
          'Default speed (fast)': 'Velocidad por defecto (rápida)',
          'Default aspect ratio (1:1)': 'Relación de aspecto por defecto (1:1)',
          'Forbidden speeds and parameters (none)': 'Velocidades y parámetros prohibidos (ninguno)',
        },
      },
    },
  },
  prefer: {
    name: 'preferir',
    description: 'Tus propias preferencias en este servidor',
    options: {
      remix: {
        name: 'remix',
        description: 'Edita el prompt antes de V, Vary, 🔄, alejar y desplazar (sin valor: alterna)',
        options: { on: { name: 'activado', description: 'Activado o desactivado' } },
      },
      suffix: {
        name: 'sufijo',
        description: 'Texto que se añade al final de cada prompt que escribes (vacío: lo borra)',
        options: { value: { name: 'valor', description: 'Por ejemplo --ar 16:9 --s 250' } },
      },
      option: {
        name: 'atajo',
        description: 'Atajos: --nombre en un prompt equivale a los parámetros que guardaste',
        options: {
          set: {
            name: 'guardar',
            description: 'Guarda un atajo',
            options: {
              name: { name: 'nombre', description: 'El nombre que escribes tras --' },
              value: { name: 'valor', description: 'A qué equivale, p. ej. --ar 2:3 --s 400' },
            },
          },
          list: { name: 'lista', description: 'Muestra tus atajos' },
          delete: {
            name: 'borrar',
            description: 'Borra un atajo',
            options: { name: { name: 'nombre', description: 'El nombre del atajo' } },
          },
        },
      },
      defaults: {
        name: 'valores',
        description: 'Tus valores por defecto, bajo tu prompt y sobre los del servidor (vacío: los muestra)',
        options: {
          version: { name: 'versión', description: 'Versión del modelo, p. ej. 7 o niji 6' },
          speed: {
            name: 'velocidad',
            description: 'Velocidad',
            choices: { '🐇 Fast': '🐇 Rápida', '🐢 Relax': '🐢 Relajada', '⚡ Turbo': '⚡ Turbo' },
          },
          aspect: { name: 'aspecto', description: 'Relación de aspecto, p. ej. 16:9' },
          stylize: { name: 'estilizar', description: 'Estilización, 0–1000' },
          clear: {
            name: 'restablecer',
            description: 'Vuelve al valor por defecto del servidor',
            choices: {
              Version: 'Versión',
              Speed: 'Velocidad',
              'Aspect ratio': 'Relación de aspecto',
              Stylize: 'Estilización',
              'All of them': 'Todos',
            },
          },
        },
      },
    },
  },
  info: { name: 'info', description: 'Tus trabajos, tu cupo y los ajustes de imagen de este servidor' },
  mod: {
    name: 'mod',
    description: 'Moderación: lista de bloqueos, términos prohibidos, registro',
    options: {
      block: { name: 'bloquear', description: 'Impide que un miembro cree imágenes', options: { user: USER } },
      unblock: {
        name: 'desbloquear',
        description: 'Deja que un miembro bloqueado vuelva a crear imágenes',
        options: { user: USER },
      },
      list: { name: 'lista', description: 'Muestra los miembros bloqueados' },
      log: { name: 'registro', description: 'Muestra las últimas decisiones de moderación' },
      banword: {
        name: 'término_prohibido',
        description: 'Los términos prohibidos de este servidor',
        options: {
          add: { name: 'añadir', description: 'Prohíbe un término', options: { term: TERM } },
          remove: { name: 'quitar', description: 'Vuelve a permitir un término', options: { term: TERM } },
          list: { name: 'lista', description: 'Muestra los términos prohibidos de este servidor' },
        },
      },
    },
  },
};

const inSpanish = (text: string): LocalizationMap =>
  Object.fromEntries(DISCORD_LOCALES.es.map((locale) => [locale, text]));

function localizeOption(option: APIApplicationCommandOption, words: Words | undefined): APIApplicationCommandOption {
  if (!words) return option;
  const localized = {
    ...option,
    name_localizations: inSpanish(words.name),
    description_localizations: inSpanish(words.description),
  } as APIApplicationCommandOption;
  if ('options' in localized && localized.options) {
    const children = localized.options as APIApplicationCommandOption[];
    Object.assign(localized, { options: children.map((child) => localizeOption(child, words.options?.[child.name])) });
  }
  if ('choices' in localized && localized.choices && words.choices) {
    const choices = localized.choices as { name: string; value: string | number }[];
    Object.assign(localized, {
      choices: choices.map((choice) => {
        const name = words.choices?.[choice.name];
        return name ? { ...choice, name_localizations: inSpanish(name) } : choice;
      }),
    });
  }
  return localized;
}

/**
 * A command's definition with Discord's localizations added, so a member whose Discord is in
 * Spanish sees `/imaginar` and Spanish descriptions. The command's own names stay the keys.
 */
export function localize(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const words = SPANISH[definition.name];
  if (!words) return definition;
  return {
    ...definition,
    name_localizations: inSpanish(words.name),
    description_localizations: inSpanish(words.description),
    ...(definition.options
      ? { options: definition.options.map((option) => localizeOption(option, words.options?.[option.name])) }
      : {}),
  };
}

/** For tests: every name and description that has no Spanish words (should be none). */
export function missingSpanish(definition: RESTPostAPIChatInputApplicationCommandsJSONBody): string[] {
  const missing: string[] = [];
  const walk = (
    options: readonly APIApplicationCommandOption[] | undefined,
    words: Words | undefined,
    path: string,
  ) => {
    for (const option of options ?? []) {
      const own = words?.options?.[option.name];
      if (!own) missing.push(`${path} ${option.name}`);
      if ('options' in option) walk(option.options, own, `${path} ${option.name}`);
    }
  };
  const words = SPANISH[definition.name];
  if (!words) missing.push(definition.name);
  walk(definition.options, words, definition.name);
  return missing;
}

/**
 * Message commands (the Apps menu) in Spanish. They have a name only, and unlike slash commands
 * Discord shows it as written: capitals and spaces allowed.
 */
const SPANISH_MESSAGE_COMMANDS: Record<string, string> = {
  Delete: 'Borrar',
  'Send to me': 'Enviarme',
  'Show seed': 'Ver semilla',
};

export function localizeMessageCommand(
  definition: RESTPostAPIContextMenuApplicationCommandsJSONBody,
): RESTPostAPIContextMenuApplicationCommandsJSONBody {
  const name = SPANISH_MESSAGE_COMMANDS[definition.name];
  return name ? { ...definition, name_localizations: inSpanish(name) } : definition;
}

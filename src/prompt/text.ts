import { listOf, type Locale, type Localized } from '../i18n/locale.js';
import type { Allowed, PromptProblem } from './problems.js';

/**
 * Every sentence about a prompt's problems, in each language. Each says what was wrong and what
 * would have been accepted, because the member cannot see the parameter table.
 */
interface PromptText {
  allowed(allowed: Allowed): string;
  problem(problem: PromptProblem): string;
}

const en: PromptText = {
  allowed(allowed) {
    switch (allowed.kind) {
      case 'integer':
        return `a whole number from ${allowed.min} to ${allowed.max}`;
      case 'number':
        return `a number from ${allowed.min} to ${allowed.max}`;
      case 'oneOf':
        return allowed.choices.length < 2 ? allowed.choices.join('') : `one of ${listOf(allowed.choices, 'or')}`;
      case 'aspect':
        return 'two whole numbers above 0 with a colon between them, like 16:9';
      case 'noList':
        return 'a comma-separated list of things to leave out, like --no text, people';
      case 'profileCodes':
        return 'profile codes made of letters, digits, - and _, separated by spaces or commas';
      case 'srefList':
        return 'image URLs, numeric style codes or random, separated by spaces';
      case 'imageUrls':
        return 'image URLs starting with http:// or https://, separated by spaces';
      case 'imageUrl':
        return 'an image URL starting with http:// or https://';
      case 'nothing':
        return 'nothing';
    }
  },
  problem(problem) {
    switch (problem.kind) {
      case 'mustBe':
        return `${problem.flag} must be ${en.allowed(problem.allowed)} (got ${problem.got}).`;
      case 'needsValue':
        return `${problem.flag} needs a value: ${en.allowed(problem.allowed)}.`;
      case 'unknownParam':
        return `Unknown parameter --${problem.given}: ${
          problem.suggestion === undefined
            ? 'there is no parameter by that name; check the spelling.'
            : `did you mean --${problem.suggestion}?`
        }`;
      case 'unknownSpeed':
        return `Unknown speed --${problem.form}.`;
      case 'unsupported':
        return problem.form === 'stealth'
          ? '--stealth is not supported here: images are posted in the Discord channel, where everyone in it can see them.'
          : '--public is not supported here: visibility follows the Discord channel the images are posted in.';
      case 'twoSpeeds':
        return `Use only one of --fast, --relax or --turbo (got ${problem.first} and ${problem.second}).`;
      case 'givenTwice':
        return `${problem.flag} was given twice; give it only once.`;
      case 'setTwice':
        return `${problem.first} and ${problem.second} both set --${problem.name}; give it only once.`;
      case 'nijiAndVersion':
        return `${problem.niji} and ${problem.version} cannot be used together: choose either a Niji model (--niji) or a Midjourney version (--version).`;
      case 'draftNeedsV7':
        return `--draft only works with version 7 (got --v ${problem.version}); remove --draft or use --v 7.`;
      case 'iwWithVersion':
        return `--iw must be a number from 0 to 2 with version ${problem.version} (got ${problem.iw}).`;
      case 'empty':
        return 'The prompt is empty: describe what you want to see, or start it with an image URL.';
      case 'tooManyPrompts':
        return `This command would make ${problem.count} prompts, but the limit is ${problem.max} per command. Use fewer {…} options or a smaller --repeat.`;
      case 'nestedTooDeep':
        return `Permutations can be nested at most ${problem.max} deep, like {a {b, c}, d}. Write \\{ for a literal brace.`;
      case 'unmatchedClose':
        return 'The prompt has a } without a matching {. Permutations look like {red, blue}; write \\} for a literal brace.';
      case 'unmatchedOpen':
        return 'The prompt has a { without a matching }. Permutations look like {red, blue}; write \\{ for a literal brace.';
    }
  },
};

const es: PromptText = {
  allowed(allowed) {
    switch (allowed.kind) {
      case 'integer':
        return `un número entero de ${allowed.min} a ${allowed.max}`;
      case 'number':
        return `un número de ${allowed.min} a ${allowed.max}`;
      case 'oneOf':
        return allowed.choices.length < 2 ? allowed.choices.join('') : `uno de ${listOf(allowed.choices, 'o')}`;
      case 'aspect':
        return 'dos números enteros mayores que 0 separados por dos puntos, como 16:9';
      case 'noList':
        return 'una lista separada por comas de lo que hay que dejar fuera, como --no text, people';
      case 'profileCodes':
        return 'códigos de perfil de letras, cifras, - y _, separados por espacios o comas';
      case 'srefList':
        return 'URL de imágenes, códigos de estilo numéricos o random, separados por espacios';
      case 'imageUrls':
        return 'URL de imágenes que empiecen por http:// o https://, separadas por espacios';
      case 'imageUrl':
        return 'una URL de imagen que empiece por http:// o https://';
      case 'nothing':
        return 'nada';
    }
  },
  problem(problem) {
    switch (problem.kind) {
      case 'mustBe':
        return `${problem.flag} debe ser ${es.allowed(problem.allowed)} (se recibió ${problem.got}).`;
      case 'needsValue':
        return `${problem.flag} necesita un valor: ${es.allowed(problem.allowed)}.`;
      case 'unknownParam':
        return `Parámetro desconocido --${problem.given}: ${
          problem.suggestion === undefined
            ? 'no hay ningún parámetro con ese nombre; revisa cómo se escribe.'
            : `¿querías decir --${problem.suggestion}?`
        }`;
      case 'unknownSpeed':
        return `Velocidad desconocida --${problem.form}.`;
      case 'unsupported':
        return problem.form === 'stealth'
          ? '--stealth no está disponible aquí: las imágenes se publican en el canal de Discord, donde todos los que están en él pueden verlas.'
          : '--public no está disponible aquí: la visibilidad la decide el canal de Discord donde se publican las imágenes.';
      case 'twoSpeeds':
        return `Usa solo uno de --fast, --relax o --turbo (se recibieron ${problem.first} y ${problem.second}).`;
      case 'givenTwice':
        return `${problem.flag} aparece dos veces; escríbelo solo una vez.`;
      case 'setTwice':
        return `${problem.first} y ${problem.second} fijan los dos --${problem.name}; escríbelo solo una vez.`;
      case 'nijiAndVersion':
        return `${problem.niji} y ${problem.version} no pueden usarse juntos: elige un modelo Niji (--niji) o una versión de Midjourney (--version).`;
      case 'draftNeedsV7':
        return `--draft solo funciona con la versión 7 (se recibió --v ${problem.version}); quita --draft o usa --v 7.`;
      case 'iwWithVersion':
        return `--iw debe ser un número de 0 a 2 con la versión ${problem.version} (se recibió ${problem.iw}).`;
      case 'empty':
        return 'El prompt está vacío: describe lo que quieres ver, o empiézalo con la URL de una imagen.';
      case 'tooManyPrompts':
        return `Este comando haría ${problem.count} prompts, pero el límite es ${problem.max} por comando. Usa menos opciones {…} o un --repeat más pequeño.`;
      case 'nestedTooDeep':
        return `Las permutaciones pueden anidarse como mucho ${problem.max} niveles, como {a {b, c}, d}. Escribe \\{ para una llave literal.`;
      case 'unmatchedClose':
        return 'El prompt tiene una } sin su {. Las permutaciones se escriben {red, blue}; escribe \\} para una llave literal.';
      case 'unmatchedOpen':
        return 'El prompt tiene una { sin su }. Las permutaciones se escriben {red, blue}; escribe \\{ para una llave literal.';
    }
  },
};

const TEXT: Localized<PromptText> = { en, es };

/** A prompt problem as a sentence in the member's language. */
export function describeProblem(problem: PromptProblem, locale: Locale = 'en'): string {
  return TEXT[locale].problem(problem);
}

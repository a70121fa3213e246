// Discord's message markdown, the part bots use, rendered with the message library's elements.
// Text only ever becomes text nodes: nothing a user or the bot writes is parsed as HTML.

import { element } from './dom.js';
const CODE_BLOCK = /```(?:[\w+-]*\n)?([\s\S]*?)```/g;

// Order matters: at one position the first alternative wins (`**` before `*`, escapes first).
const INLINE =
  /\\(?<escaped>[^\w\s])|`(?<code>[^`]+)`|\*\*(?<bold>.+?)\*\*|__(?<underline>.+?)__|\*(?<italic>[^*\s](?:[^*]*[^*\s])?)\*|(?<![\w\\])_(?<italic2>[^_\s](?:[^_]*[^_\s])?)_(?!\w)|~~(?<strike>.+?)~~|\|\|(?<spoiler>.+?)\|\||<@!?(?<user>\d+)>|<@&(?<role>\d+)>|<#(?<channel>\d+)>|<t:(?<time>-?\d+)(?::(?<style>[tTdDfFR]))?>|(?<url>https?:\/\/[^\s<>]*[^\s<>.,;:!?)\]'"])/g;

const TIME_FORMATS = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};

/** `<t:1700000000:R>` → "5 minutes ago"; other styles as Discord shows them in the viewer's locale. */
export function formatTimestamp(seconds, style = 'f') {
  const date = new Date(seconds * 1000);
  if (style !== 'R') return new Intl.DateTimeFormat(undefined, TIME_FORMATS[style]).format(date);
  const difference = (date.getTime() - Date.now()) / 1000;
  const units = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, unitSeconds]) => Math.abs(difference) >= unitSeconds) ?? units[units.length - 1];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(Math.round(difference / size), unit);
}

/** Inline markdown of one line (or one span) → nodes. `context.names` maps ids to names; `context.me` is the viewer's id. */
function inline(text, context) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    last = match.index + match[0].length;
    const group = match.groups;
    const inner = (value) => inline(value, context);
    if (group.escaped !== undefined) nodes.push(document.createTextNode(group.escaped));
    else if (group.code !== undefined) nodes.push(element('discord-code', {}, [group.code]));
    else if (group.bold !== undefined) nodes.push(element('discord-bold', {}, inner(group.bold)));
    else if (group.underline !== undefined) nodes.push(element('discord-underlined', {}, inner(group.underline)));
    else if (group.italic !== undefined || group.italic2 !== undefined)
      nodes.push(element('discord-italic', {}, inner(group.italic ?? group.italic2)));
    else if (group.strike !== undefined) nodes.push(element('s', {}, inner(group.strike)));
    else if (group.spoiler !== undefined) nodes.push(element('discord-spoiler', {}, inner(group.spoiler)));
    else if (group.user !== undefined) {
      const name = context.names.users[group.user] ?? 'unknown-user';
      nodes.push(
        element('discord-mention', { type: 'user', highlight: group.user === context.me, 'data-user-id': group.user }, [
          name,
        ]),
      );
    } else if (group.role !== undefined)
      nodes.push(element('discord-mention', { type: 'role' }, [context.names.roles[group.role] ?? 'deleted-role']));
    else if (group.channel !== undefined)
      nodes.push(element('discord-mention', { type: 'channel' }, [context.names.channels[group.channel] ?? 'unknown']));
    else if (group.time !== undefined)
      nodes.push(element('discord-time', {}, [formatTimestamp(Number(group.time), group.style)]));
    else if (group.url !== undefined)
      nodes.push(element('discord-link', { href: group.url, target: '_blank', rel: 'noreferrer' }, [group.url]));
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/** Lines: `-# subtext`, `# heading` (1–3), `> quote`, else inline markdown with line breaks between. */
function lines(text, context) {
  const nodes = [];
  const all = text.split('\n');
  all.forEach((line, index) => {
    const subtext = /^-# (.*)$/.exec(line);
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    const quote = /^> ?(.*)$/.exec(line);
    if (subtext) nodes.push(element('discord-subscript', {}, inline(subtext[1], context)));
    else if (heading)
      nodes.push(
        element('discord-header', { level: String(heading[1].length) }, [
          element(`h${heading[1].length}`, {}, inline(heading[2], context)),
        ]),
      );
    else if (quote) nodes.push(element('discord-quote', {}, inline(quote[1], context)));
    else {
      nodes.push(...inline(line, context));
      // Block elements end their own line; a plain line needs a break before the next one.
      if (index < all.length - 1) nodes.push(document.createElement('br'));
    }
  });
  return nodes;
}

/** A message's `content` → a fragment for the message's default slot. */
export function renderMarkdown(text, context) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(CODE_BLOCK)) {
    fragment.append(...lines(text.slice(last, match.index).replace(/\n$/, ''), context));
    fragment.append(element('discord-code', { multiline: true }, [match[1].replace(/\n$/, '')]));
    last = match.index + match[0].length;
  }
  fragment.append(...lines(text.slice(last).replace(/^\n/, ''), context));
  return fragment;
}

/** Markdown stripped to plain text, for one-line previews (a reply's quoted message). */
export function plainText(text, names) {
  return text
    .replace(CODE_BLOCK, (_, code) => code)
    .replace(/^-# /gm, '')
    .replace(/<@!?(\d+)>/g, (_, id) => `@${names.users[id] ?? 'unknown-user'}`)
    .replace(/<@&(\d+)>/g, (_, id) => `@${names.roles[id] ?? 'deleted-role'}`)
    .replace(/<#(\d+)>/g, (_, id) => `#${names.channels[id] ?? 'unknown'}`)
    .replace(/\\([^\w\s])/g, '\u0000$1')
    .replace(/\*\*|__|~~|\|\||`/g, '')
    .replace(/\u0000/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

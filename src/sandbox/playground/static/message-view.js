// One message of the emulator's JSON (Discord's message JSON plus `visible_to`) → a
// <discord-message> of @skyra/discord-components-core, with its reply header, attachments,
// embeds and buttons.
import { avatarFor } from './avatars.js';
import { element } from './dom.js';
import { plainText, renderMarkdown } from './markdown.js';

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
const BUTTON_STYLES = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'destructive' };
const LINK_BUTTON = 5;
const APPLICATION_COMMAND = 2;
/** Images are fitted into this box, as Discord's client scales attachments in a channel. */
const IMAGE_BOX = { width: 550, height: 350 };
const BLOCKS = new Set(['DISCORD-SUBSCRIPT', 'DISCORD-HEADER', 'DISCORD-QUOTE']);

export const displayName = (user) => user.global_name ?? user.username;

/** "Today at 3:42 PM", "Yesterday at 9:05 AM", else the date and time. */
export function messageTime(iso) {
  const date = new Date(iso);
  const time = date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  const days = Math.round((new Date().setHours(0, 0, 0, 0) - new Date(iso).setHours(0, 0, 0, 0)) / 86_400_000);
  if (days === 0) return `Today at ${time}`;
  if (days === 1) return `Yesterday at ${time}`;
  return `${date.toLocaleDateString()} ${time}`;
}

function fit(width, height) {
  if (!width || !height) return IMAGE_BOX;
  const scale = Math.min(1, IMAGE_BOX.width / width, IMAGE_BOX.height / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** "alice used /imagine" over a command's answer; a reply to the message whose button made this one. */
function replyHeader(message, view) {
  const metadata = message.interaction_metadata;
  if (metadata?.type === APPLICATION_COMMAND) {
    const user = metadata.user;
    const name = message.interaction?.name ?? metadata.name ?? '';
    return element('discord-command', {
      slot: 'reply',
      author: displayName(user),
      avatar: avatarFor(user, view.world.botUserId),
      command: `/${name}`,
    });
  }
  const referenceId = metadata?.interacted_message_id ?? message.message_reference?.message_id;
  if (!referenceId) return undefined;
  const referenced = view.lookup(referenceId);
  if (!referenced) return element('discord-reply', { slot: 'reply', deleted: true });
  const preview =
    plainText(referenced.content, view.world.names) ||
    (referenced.attachments.length > 0 ? 'Click to see attachment' : '');
  return element(
    'discord-reply',
    {
      slot: 'reply',
      author: displayName(referenced.author),
      avatar: avatarFor(referenced.author, view.world.botUserId),
      bot: referenced.author.bot,
      attachment: referenced.attachments.length > 0,
    },
    [preview],
  );
}

function attachments(message, view) {
  if (message.attachments.length === 0) return undefined;
  return element(
    'discord-attachments',
    { slot: 'attachments' },
    message.attachments.map((attachment) => {
      const url = view.attachmentUrl(attachment.url);
      if (!(attachment.content_type ?? '').startsWith('image/')) {
        return element('discord-file-attachment', {
          name: attachment.filename,
          bytes: String(attachment.size),
          href: url,
          target: '_blank',
        });
      }
      const size = fit(attachment.width, attachment.height);
      const image = element('img', {
        src: url,
        alt: attachment.filename,
        width: String(size.width),
        height: String(size.height),
        loading: 'lazy',
        'data-attachment-id': attachment.id,
      });
      return element(
        'discord-image-attachment',
        { 'custom-image-element': true, width: String(size.width), height: String(size.height) },
        [element('a', { href: url, target: '_blank' }, [image])],
      );
    }),
  );
}

function embeds(message, view) {
  return message.embeds.map((embed) =>
    element(
      'discord-embed',
      {
        slot: 'embeds',
        color: embed.color === undefined ? undefined : `#${embed.color.toString(16).padStart(6, '0')}`,
        'embed-title': embed.title,
        url: embed.url,
        image: embed.image?.url ? view.attachmentUrl(embed.image.url) : undefined,
        thumbnail: embed.thumbnail?.url ? view.attachmentUrl(embed.thumbnail.url) : undefined,
        'author-name': embed.author?.name,
      },
      [
        ...(embed.description
          ? [
              element('discord-embed-description', { slot: 'description' }, [
                renderMarkdown(embed.description, view.markdown),
              ]),
            ]
          : []),
        ...(embed.fields?.length
          ? [
              element(
                'discord-embed-fields',
                { slot: 'fields' },
                embed.fields.map((field) =>
                  element('discord-embed-field', { 'field-title': field.name, inline: Boolean(field.inline) }, [
                    renderMarkdown(field.value, view.markdown),
                  ]),
                ),
              ),
            ]
          : []),
        ...(embed.footer?.text ? [element('discord-embed-footer', { slot: 'footer' }, [embed.footer.text])] : []),
      ],
    ),
  );
}

function button(message, component, view) {
  const emoji = component.emoji?.id ? `:${component.emoji.name}:` : (component.emoji?.name ?? '');
  const label = [emoji, component.label ?? ''].filter(Boolean).join(' ');
  const node = element(
    'discord-button',
    {
      type: BUTTON_STYLES[component.style] ?? 'secondary',
      disabled: Boolean(component.disabled),
      url: component.style === LINK_BUTTON ? component.url : undefined,
      'data-custom-id': component.custom_id,
    },
    [label],
  );
  node.addEventListener('click', () => {
    if (!component.disabled && component.custom_id) view.onClick(message, component);
  });
  return node;
}

function components(message, view) {
  const rows = message.components.filter((row) => row.type === 1);
  if (rows.length === 0) return undefined;
  return element(
    'discord-attachments',
    { slot: 'components' },
    rows.map((row) =>
      element(
        'discord-action-row',
        {},
        row.components.filter((component) => component.type === 2).map((component) => button(message, component, view)),
      ),
    ),
  );
}

/**
 * "(edited)" after the last line, inside it when that line is a block (`-# subtext`), as Discord
 * shows it; the library's own marker would sit on a line of its own under a subtext.
 */
function markEdited(content) {
  const marker = element('span', { class: 'edited' }, ['(edited)']);
  const last = content.lastChild;
  if (last && BLOCKS.has(last.nodeName))
    (last.nodeName === 'DISCORD-HEADER' ? last.firstChild : last).append(' ', marker);
  else content.append(' ', marker);
}

/**
 * `view`: `{ world, me, markdown: {names, me}, lookup(id), attachmentUrl(url), onClick(message, button), onDismiss(message) }`.
 */
export function renderMessage(message, view) {
  const author = displayName(message.author);
  const node = element('discord-message', {
    'data-message-id': message.id,
    author,
    avatar: avatarFor(message.author, view.world.botUserId),
    bot: message.author.bot,
    timestamp: messageTime(message.timestamp),
    ephemeral: (message.flags & EPHEMERAL) !== 0,
    // Discord tints messages that mention you.
    highlight: message.content.includes(`<@${view.me}>`),
  });
  node.dismissMessageClicked = () => view.onDismiss(message);
  const header = replyHeader(message, view);
  if (header) node.append(header);
  if ((message.flags & LOADING) !== 0) {
    node.append(
      element('span', { class: 'thinking' }, [
        `${author} is thinking`,
        element('span', { class: 'dots', 'aria-hidden': 'true' }, ['...']),
      ]),
    );
  } else {
    const content = renderMarkdown(message.content, view.markdown);
    if (message.edited_timestamp !== null) markEdited(content);
    node.append(content);
  }
  for (const part of [attachments(message, view), ...embeds(message, view), components(message, view)])
    if (part) node.append(part);
  return node;
}

// The channel list, the member list and the "playing as" switcher.
import { botAvatar, userAvatar } from './avatars.js';
import { element } from './dom.js';

/** `# imagine`, and `🔒 mod-log` for a channel the current member cannot view. */
export function renderChannels(list, { world, member, channelId, onSelect }) {
  list.replaceChildren(
    ...world.channels.map((channel) => {
      const locked = !member.viewableChannelIds.includes(channel.id);
      const item = element(
        'button',
        {
          type: 'button',
          class: 'channel',
          'aria-current': channel.id === channelId ? 'page' : false,
          'data-channel': channel.name,
          title: locked ? `You can't view #${channel.name}` : (channel.topic ?? undefined),
        },
        [
          element('span', { class: 'channel-icon', 'aria-hidden': 'true' }, [locked ? '🔒' : '#']),
          element('span', { class: 'channel-label' }, [channel.name]),
        ],
      );
      item.addEventListener('click', () => onSelect(channel.id));
      return element('li', {}, [item]);
    }),
  );
}

function memberRow(member, { current, onSelect }) {
  const row = element(
    'button',
    {
      type: 'button',
      class: 'member',
      'aria-current': current ? 'true' : false,
      'data-member': member.username,
      title: current ? 'You are playing as this member' : `Play as ${member.displayName}`,
    },
    [
      element('img', { class: 'avatar', src: userAvatar(member.username, member.displayName), alt: '' }),
      element('span', { class: 'member-name' }, [member.displayName]),
      ...(current ? [element('span', { class: 'you-tag' }, ['you'])] : []),
    ],
  );
  row.addEventListener('click', () => onSelect(member.id));
  return row;
}

/** Grouped like Discord's list: moderators, then members, then the app. Clicking a member switches to them. */
export function renderMembers(container, { world, member, onSelect }) {
  const moderators = world.members.filter((candidate) => candidate.roles.length > 0);
  const plain = world.members.filter((candidate) => candidate.roles.length === 0);
  const group = (title, rows) =>
    rows.length > 0 ? [element('h3', { class: 'member-group' }, [`${title} — ${rows.length}`]), ...rows] : [];
  const bot = element('div', { class: 'member bot' }, [
    element('img', { class: 'avatar', src: botAvatar, alt: '' }),
    element('span', { class: 'member-name' }, [world.names.users[world.botUserId] ?? 'Imagine']),
    element('span', { class: 'app-tag' }, ['APP']),
  ]);
  const rows = (members) =>
    members.map((candidate) => memberRow(candidate, { current: candidate.id === member.id, onSelect }));
  container.replaceChildren(
    ...group(moderators[0]?.roles[0] ?? 'Moderators', rows(moderators)),
    ...group('Members', rows(plain)),
    ...group('Apps', [bot]),
  );
}

/** The bottom-left panel: who the page acts as, and a menu to switch. */
export function renderUserPanel(elements, { world, member, onSelect }) {
  elements.avatar.src = userAvatar(member.username, member.displayName);
  elements.display.textContent = member.displayName;
  elements.menu.replaceChildren(
    element('li', { class: 'menu-title', role: 'presentation' }, ['Play as']),
    ...world.members.map((candidate) => {
      const item = element(
        'button',
        {
          type: 'button',
          role: 'menuitemradio',
          'aria-checked': String(candidate.id === member.id),
          'data-member': candidate.username,
        },
        [
          element('img', { class: 'avatar', src: userAvatar(candidate.username, candidate.displayName), alt: '' }),
          element('span', { class: 'menu-name' }, [candidate.displayName]),
          element('span', { class: 'menu-role' }, [candidate.roles.join(', ') || 'member']),
        ],
      );
      item.addEventListener('click', () => onSelect(candidate.id));
      return element('li', { role: 'none' }, [item]);
    }),
  );
}

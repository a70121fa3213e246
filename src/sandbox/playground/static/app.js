// The playground page: a Discord channel view over the emulator. The member it acts as and the
// channel it shows are in the URL (?as=alice&channel=imagine), so a view can be linked to.
import { api, subscribe } from './api.js';
import { botAvatar } from './avatars.js';
import { typableCommands } from './commands.js';
import { Composer } from './composer.js';
import { renderMessage } from './message-view.js';
import { renderChannels, renderMembers, renderUserPanel } from './sidebar.js';

// The library reads its configuration once, when it loads: local avatars only, nothing from a CDN.
globalThis.$discordMessage = { avatars: { default: botAvatar }, defaultTheme: 'dark' };
await import('@skyra/discord-components-core');

const $ = (id) => document.getElementById(id);
const page = {
  app: $('app'),
  channels: $('channels'),
  members: $('members'),
  scroller: $('scroller'),
  welcome: $('welcome'),
  messages: $('messages'),
  locked: $('locked'),
  notice: $('notice'),
  composer: $('composer'),
  user: { button: $('user-switch'), avatar: $('user-avatar'), display: $('user-display'), menu: $('user-menu') },
};

const state = {
  world: undefined,
  registered: [],
  memberId: '',
  channelId: '',
  messages: new Map(),
  dismissed: new Set(),
  stickToBottom: true,
};

const member = () => state.world.members.find((candidate) => candidate.id === state.memberId);
const channel = () => state.world.channels.find((candidate) => candidate.id === state.channelId);
const canView = () => member().viewableChannelIds.includes(state.channelId);

let noticeTimer;
function notify(text, kind = 'info') {
  page.notice.textContent = text;
  page.notice.dataset.kind = kind;
  page.notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (page.notice.hidden = true), 8000);
}

const composer = new Composer(page.composer, {
  api,
  notify,
  context: () => ({
    world: state.world,
    member: state.world && member(),
    channel: state.world && channel(),
    commands: state.world ? typableCommands(state.registered, BigInt(member().permissions)) : [],
  }),
});

// ---- messages -----------------------------------------------------------------------------------

const byId = (a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

function shown(message) {
  return (
    message.channel_id === state.channelId &&
    (message.visible_to === null || message.visible_to === state.memberId) &&
    !state.dismissed.has(message.id)
  );
}

const messageView = () => ({
  world: state.world,
  me: state.memberId,
  markdown: { names: state.world.names, me: state.memberId },
  lookup: (id) => state.messages.get(id),
  // Attachments are served by the emulator; the playground proxies them on the page's own origin.
  attachmentUrl: (url) =>
    url.startsWith(state.world.emulatorOrigin) ? url.slice(state.world.emulatorOrigin.length) : url,
  onClick: (message, button) => {
    api
      .clickButton({ userId: state.memberId, messageId: message.id, customId: button.custom_id })
      .catch((error) => notify(`${button.label || button.emoji?.name || 'Button'}: ${error.message}`, 'error'));
  },
  onDismiss: (message) => {
    state.dismissed.add(message.id);
    remove(message.id);
  },
});

function scrollToBottomIfStuck() {
  if (state.stickToBottom) page.scroller.scrollTop = page.scroller.scrollHeight;
}

function upsert(message) {
  if (!shown(message)) return;
  state.messages.set(message.id, message);
  const node = renderMessage(message, messageView());
  const existing = page.messages.querySelector(`discord-message[data-message-id="${message.id}"]`);
  if (existing) existing.replaceWith(node);
  else {
    const later = [...page.messages.children].find(
      (candidate) => BigInt(candidate.dataset.messageId) > BigInt(message.id),
    );
    page.messages.insertBefore(node, later ?? null);
  }
  requestAnimationFrame(scrollToBottomIfStuck);
}

function remove(id) {
  state.messages.delete(id);
  page.messages.querySelector(`discord-message[data-message-id="${id}"]`)?.remove();
}

// ---- channel and member -------------------------------------------------------------------------

function renderWelcome(current) {
  const heading = document.createElement('h2');
  heading.textContent = `Welcome to #${current.name}!`;
  const intro = document.createElement('p');
  intro.textContent = `This is the start of the #${current.name} channel.${current.topic ? ` ${current.topic}.` : ''}`;
  const hint = document.createElement('p');
  hint.className = 'welcome-hint';
  hint.append(
    'Type ',
    Object.assign(document.createElement('kbd'), { textContent: '/' }),
    ` to use the bot's commands. You are playing as ${member().displayName}: switch members at the bottom left or in the member list.`,
  );
  page.welcome.replaceChildren(
    Object.assign(document.createElement('div'), { className: 'welcome-icon', textContent: '#' }),
    heading,
    intro,
    hint,
  );
}

/** Why a member sees nothing here, and who can. */
function renderLocked(current) {
  const viewers = state.world.members.filter((candidate) => candidate.viewableChannelIds.includes(current.id));
  const heading = document.createElement('h2');
  heading.textContent = `#${current.name} is private`;
  const why = document.createElement('p');
  const roles = current.openTo?.length
    ? ` and open only to the ${current.openTo.join(', ')} role${current.openTo.length > 1 ? 's' : ''}`
    : '';
  why.textContent = `${member().displayName} can't view this channel: it is hidden from @everyone${roles}. Discord would not even list it for them.`;
  const switches = viewers.map((viewer) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'switch-button';
    button.textContent = `Play as ${viewer.displayName}${viewer.roles.length ? ` (${viewer.roles.join(', ')})` : ''}`;
    button.addEventListener('click', () => selectMember(viewer.id));
    return button;
  });
  page.locked.replaceChildren(
    Object.assign(document.createElement('div'), { className: 'locked-icon', textContent: '🔒' }),
    heading,
    why,
    ...switches,
  );
}

async function loadChannel() {
  const current = channel();
  document.title = `#${current.name} · ${state.world.guild.name} · Imagine playground`;
  $('channel-name').textContent = current.name;
  $('channel-topic').textContent = current.topic ?? '';
  state.messages.clear();
  page.messages.replaceChildren();
  const visible = canView();
  page.locked.hidden = visible;
  page.welcome.hidden = !visible;
  page.messages.hidden = !visible;
  page.composer.hidden = !visible;
  if (!visible) return renderLocked(current);
  renderWelcome(current);
  try {
    const messages = await api.messages(current.id, state.memberId);
    for (const message of messages.sort(byId)) upsert(message);
  } catch (error) {
    notify(`Could not read #${current.name}: ${error.message}`, 'error');
  }
  state.stickToBottom = true;
  scrollToBottomIfStuck();
}

function renderChrome() {
  const context = { world: state.world, member: member(), channelId: state.channelId, onSelect: selectMember };
  renderChannels(page.channels, { ...context, onSelect: selectChannel });
  renderMembers(page.members, context);
  renderUserPanel(page.user, context);
  const params = new URLSearchParams({ as: member().username, channel: channel().name });
  history.replaceState(null, '', `?${params}`);
}

async function selectChannel(id) {
  state.channelId = id;
  renderChrome();
  composer.reset();
  await loadChannel();
  composer.focus();
}

async function selectMember(id) {
  state.memberId = id;
  closeUserMenu();
  renderChrome();
  composer.reset();
  await loadChannel();
  notify(`You are now ${member().displayName}.`);
  composer.focus();
}

function closeUserMenu() {
  page.user.menu.hidden = true;
  page.user.button.setAttribute('aria-expanded', 'false');
}

page.user.button.addEventListener('click', () => {
  const open = page.user.menu.hidden;
  page.user.menu.hidden = !open;
  page.user.button.setAttribute('aria-expanded', String(open));
});
document.addEventListener('click', (event) => {
  if (!event.target.closest('.user-panel')) closeUserMenu();
});
// As in Discord, typing anywhere types into the message box (after clicking a button, say).
document.addEventListener('keydown', (event) => {
  if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey || page.composer.hidden) return;
  if (event.target.closest?.('input, textarea, [contenteditable]')) return;
  composer.focus();
});
page.scroller.addEventListener('scroll', () => {
  state.stickToBottom = page.scroller.scrollHeight - page.scroller.scrollTop - page.scroller.clientHeight < 80;
});
// Images arrive after their message; keep the newest message in view while they load.
page.scroller.addEventListener('load', scrollToBottomIfStuck, true);

// ---- start --------------------------------------------------------------------------------------

async function start() {
  state.world = await api.world();
  state.registered = await api.commands(state.world.guild.id);
  const params = new URLSearchParams(location.search);
  state.memberId = (
    state.world.members.find((candidate) => candidate.username === params.get('as')) ?? state.world.members[0]
  ).id;
  state.channelId = (
    state.world.channels.find((candidate) => candidate.name === params.get('channel')) ?? state.world.channels[0]
  ).id;
  $('guild-name').textContent = state.world.guild.name;
  $('server-icon').textContent = state.world.guild.name[0];
  subscribe(
    {
      'message.create': ({ message }) => upsert(message),
      'message.update': ({ message }) => upsert(message),
      'message.delete': ({ message }) => remove(message.id),
      'interaction.fail': ({ interaction }) => {
        if (interaction.userId !== state.memberId) return;
        const what = interaction.kind === 'component' ? 'the button' : `/${interaction.name}`;
        notify(
          `${interaction.failureReason ?? 'This interaction failed'}: the bot did not answer ${what} within 3 seconds.`,
          'error',
        );
      },
      // Discord's published schema refused a body: the bot's request, or the emulator's own answer.
      'spec.violation': ({ violation }) => {
        const first = violation.errors[0];
        const who = violation.direction === 'request' ? 'The bot sent' : 'The emulator answered';
        notify(
          `${who} ${violation.method} ${violation.path} with a body Discord's spec refuses${first ? ` (${first.path}: ${first.message})` : ''}.`,
          'error',
        );
      },
    },
    () => void loadChannel(),
  );
  renderChrome();
  composer.reset();
  await loadChannel();
  page.app.dataset.state = 'ready';
  composer.focus();
}

start().catch((error) => {
  page.app.dataset.state = 'failed';
  notify(`The playground could not start: ${error.message}`, 'error');
});

// Avatars drawn locally as SVG data URLs: the page loads nothing from outside 127.0.0.1.

const COLORS = ['#5865f2', '#3ba55c', '#eb459e', '#faa61a', '#ed4245', '#1abc9c', '#9b59b6'];

/** Stable per user across restarts (ids are new on every start, usernames are not). */
function colorFor(username) {
  let hash = 0;
  for (const char of username) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length];
}

const dataUrl = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** A coloured disc with the display name's first letter. */
export function userAvatar(username, name) {
  const letter = (name.trim()[0] ?? '?').toUpperCase().replace(/[<>&"']/g, '?');
  return dataUrl(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 80"><circle cx="40" cy="40" r="40" fill="${colorFor(username)}"/>` +
      `<text x="40" y="53" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="36" font-weight="700" fill="#fff">${letter}</text></svg>`,
  );
}

/** The bot: a four-pointed spark on a gradient, drawn as a path so it needs no font. */
export const botAvatar = dataUrl(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 80"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">' +
    '<stop offset="0" stop-color="#7b5cff"/><stop offset="1" stop-color="#ff5ca8"/></linearGradient></defs>' +
    '<circle cx="40" cy="40" r="40" fill="url(#g)"/>' +
    '<path d="M40 14 C43 32 48 37 66 40 C48 43 43 48 40 66 C37 48 32 43 14 40 C32 37 37 32 40 14Z" fill="#fff"/>' +
    '<circle cx="58" cy="22" r="4" fill="#fff" opacity=".85"/></svg>',
);

export function avatarFor(user, botUserId) {
  return user.id === botUserId || user.bot ? botAvatar : userAvatar(user.username, user.global_name ?? user.username);
}

// The suggestion list above the composer: commands, an option's choices, autocomplete answers,
// optional options. Keyboard driven by the composer; the mouse picks without stealing focus.

export class Popup {
  constructor(root) {
    this.root = root;
    this.title = root.querySelector('.popup-title');
    this.list = root.querySelector('.popup-items');
    this.items = [];
    this.active = -1;
  }

  /**
   * `title`: a group name or an option's `{ name, description }`; `items`: `{ label, detail?, icon?, hint?, pick() }`;
   * `active`: the item Enter picks (-1: none, so Enter sends).
   */
  show({ title, items = [], active = -1, empty }) {
    this.items = items;
    this.active = items.length > 0 ? Math.min(active, items.length - 1) : -1;
    // A group title ("Commands") is a string; an option's help is `{ name, description }`.
    if (typeof title === 'object') {
      const name = document.createElement('strong');
      name.textContent = title.name;
      this.title.replaceChildren(name, ` ${title.description}`);
    } else {
      this.title.textContent = title ?? '';
    }
    this.title.classList.toggle('popup-help', typeof title === 'object');
    this.title.hidden = !title;
    const rows = items.map((item, index) => {
      const row = document.createElement('li');
      row.setAttribute('role', 'option');
      row.dataset.index = String(index);
      row.dataset.name = item.label;
      if (item.icon) {
        const icon = document.createElement('img');
        icon.className = 'popup-icon';
        icon.src = item.icon;
        icon.alt = '';
        row.append(icon);
      }
      const label = document.createElement('span');
      label.className = 'popup-label';
      label.textContent = item.label;
      const detail = document.createElement('span');
      detail.className = 'popup-detail';
      detail.textContent = item.detail ?? '';
      row.append(label, detail);
      if (item.hint) {
        const hint = document.createElement('span');
        hint.className = 'popup-hint';
        hint.textContent = item.hint;
        row.append(hint);
      }
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        item.pick();
      });
      row.addEventListener('mousemove', () => this.#highlight(index));
      return row;
    });
    if (rows.length === 0 && empty) {
      const row = document.createElement('li');
      row.className = 'popup-empty';
      row.textContent = empty;
      rows.push(row);
    }
    this.list.replaceChildren(...rows);
    this.root.hidden = rows.length === 0 && !title;
    this.#highlight(this.active);
  }

  hide() {
    this.items = [];
    this.active = -1;
    this.root.hidden = true;
  }

  get open() {
    return !this.root.hidden;
  }

  move(step) {
    if (this.items.length === 0) return;
    const next =
      this.active < 0
        ? step > 0
          ? 0
          : this.items.length - 1
        : (this.active + step + this.items.length) % this.items.length;
    this.#highlight(next);
  }

  /** Picks the highlighted item; false when none is highlighted. */
  pickActive() {
    const item = this.items[this.active];
    if (!item) return false;
    item.pick();
    return true;
  }

  #highlight(index) {
    this.active = index;
    for (const row of this.list.children) {
      const selected = row.dataset.index === String(index);
      row.setAttribute('aria-selected', String(selected));
      if (selected) row.scrollIntoView({ block: 'nearest' });
    }
  }
}

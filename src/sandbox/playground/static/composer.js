// The message box. Plain text is posted as the member; "/" opens the bot's commands, and a picked
// command becomes a line of option fields, as in Discord: required options first, optional ones
// offered in the list, choices and autocomplete answers in the list, a file picker for files.
import { botAvatar } from './avatars.js';
import { OPTION_TYPE_NAMES, OptionType, fieldValue, fixedChoices, matchCommands } from './commands.js';
import { element } from './dom.js';
import { Popup } from './popup.js';

const AUTOCOMPLETE_DELAY_MS = 150;

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export class Composer {
  /**
   * `context()` → `{ world, member, channel, commands }` (commands: typable entries);
   * `notify(text, kind)` shows a line above the box.
   */
  constructor(root, { api, context, notify }) {
    this.api = api;
    this.context = context;
    this.notify = notify;
    this.root = root;
    this.command = null;
    this.fields = [];
    this.autocompleteRun = 0;
    root.replaceChildren(
      element('div', { class: 'popup', role: 'listbox', hidden: true }, [
        element('div', { class: 'popup-title' }),
        element('ul', { class: 'popup-items' }),
      ]),
      (this.box = element('div', { class: 'composer-box' })),
      (this.filePicker = element('input', { type: 'file', hidden: true, 'aria-label': 'Attach a file' })),
    );
    this.popup = new Popup(root.querySelector('.popup'));
    this.filePicker.addEventListener('change', () => this.#fileChosen(this.filePicker.files?.[0]));
    this.box.addEventListener('dragover', (event) => event.preventDefault());
    this.box.addEventListener('drop', (event) => {
      event.preventDefault();
      this.#fileDropped(event.dataTransfer?.files?.[0]);
    });
    this.reset();
  }

  /** Back to an empty message box (after sending, or when the member or the channel changes). */
  reset(text = '') {
    this.command = null;
    this.fields = [];
    this.tail = undefined;
    this.popup.hide();
    const { channel } = this.context();
    this.textInput = element('input', {
      class: 'text-input',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: `Message #${channel?.name ?? ''}`,
      'aria-label': `Message #${channel?.name ?? ''}`,
    });
    this.textInput.value = text;
    this.textInput.addEventListener('input', () => this.#textChanged());
    this.textInput.addEventListener('keydown', (event) => this.#textKey(event));
    this.textInput.addEventListener('blur', () => this.popup.hide());
    this.textInput.addEventListener('focus', () => this.#textChanged());
    this.box.replaceChildren(element('span', { class: 'composer-plus', 'aria-hidden': 'true' }, ['+']), this.textInput);
  }

  focus() {
    (this.command ? (this.fields[0]?.input ?? this.tail) : this.textInput).focus();
  }

  // ---- plain text and the command list --------------------------------------------------------

  #textChanged() {
    const text = this.textInput.value;
    if (!text.startsWith('/')) return this.popup.hide();
    const { commands } = this.context();
    const typed = text.slice(1);
    const exact = commands.find((entry) => `${entry.name} ` === typed);
    if (exact) return this.#enterCommand(exact);
    const matches = matchCommands(commands, typed);
    this.popup.show({
      title: 'Commands',
      items: matches.map((entry) => ({
        label: `/${entry.name}`,
        detail: entry.description,
        icon: botAvatar,
        hint: 'Imagine',
        pick: () => this.#enterCommand(entry),
      })),
      active: 0,
      empty: commands.length === 0 ? 'The bot has registered no commands you can use here.' : 'No commands match.',
    });
  }

  #textKey(event) {
    if (this.#popupKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void this.#sendText();
    }
  }

  async #sendText() {
    const content = this.textInput.value.trim();
    if (!content) return;
    const { member, channel } = this.context();
    try {
      await this.api.postMessage({ userId: member.id, channelId: channel.id, content });
      this.textInput.value = '';
    } catch (error) {
      this.notify(error.message, 'error');
    }
  }

  /** Arrow keys, Enter and Tab in the list; true when the key was the list's. */
  #popupKey(event) {
    if (!this.popup.open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.popup.move(event.key === 'ArrowDown' ? 1 : -1);
      return true;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && this.popup.pickActive()) {
      event.preventDefault();
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      this.popup.hide();
      return true;
    }
    return false;
  }

  // ---- a command's option fields ---------------------------------------------------------------

  #enterCommand(entry) {
    this.command = entry;
    this.fields = entry.options.filter((option) => option.required).map((option) => this.#newField(option));
    this.#renderCommandLine();
    (this.fields[0]?.input ?? this.tail).focus();
  }

  #newField(option) {
    return { option, text: '', value: undefined, picked: false, file: undefined, input: undefined, pill: undefined };
  }

  #renderCommandLine() {
    const chip = element('span', { class: 'command-chip' }, [`/${this.command.name}`]);
    const pills = this.fields.map((field) => this.#renderField(field));
    this.tail = element('input', {
      class: 'tail-input',
      type: 'text',
      autocomplete: 'off',
      'aria-label': 'Optional options',
    });
    this.tail.addEventListener('focus', () => this.#showOptional());
    this.tail.addEventListener('input', () => this.#showOptional());
    this.tail.addEventListener('blur', () => this.popup.hide());
    this.tail.addEventListener('keydown', (event) => this.#tailKey(event));
    this.box.replaceChildren(
      element('span', { class: 'composer-plus', 'aria-hidden': 'true' }, ['+']),
      element('div', { class: 'command-line' }, [chip, ...pills, this.tail]),
    );
  }

  #renderField(field) {
    const { option } = field;
    const name = element('span', { class: 'option-name' }, [option.name]);
    if (option.type === OptionType.Attachment) {
      const label = field.file ? field.file.name : 'Choose a file';
      field.input = element('button', { type: 'button', class: 'file-button', 'aria-label': option.name }, [
        ...(field.file?.type.startsWith('image/')
          ? [element('img', { class: 'file-thumb', src: URL.createObjectURL(field.file), alt: '' })]
          : []),
        label,
      ]);
      field.input.addEventListener('click', () => {
        this.pendingFileField = field;
        this.filePicker.click();
      });
      field.input.addEventListener('focus', () => this.#showOption(field));
      field.input.addEventListener('keydown', (event) => this.#fieldKey(event, field));
    } else {
      field.input = element('input', {
        class: 'option-input',
        type: 'text',
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-label': option.name,
      });
      field.input.value = field.text;
      this.#sizeInput(field.input);
      field.input.addEventListener('input', () => {
        field.text = field.input.value;
        field.picked = false;
        field.value = undefined;
        field.pill.classList.remove('invalid');
        this.#sizeInput(field.input);
        this.#showOption(field);
      });
      field.input.addEventListener('focus', () => this.#showOption(field));
      field.input.addEventListener('blur', () => this.popup.hide());
      field.input.addEventListener('keydown', (event) => this.#fieldKey(event, field));
    }
    field.pill = element('span', { class: 'option-pill', 'data-option': option.name }, [name, field.input]);
    return field.pill;
  }

  #sizeInput(input) {
    input.style.width = `${Math.max(4, input.value.length + 1)}ch`;
  }

  /** The list for a focused field: its choices, the bot's autocomplete answers, or what it expects. */
  #showOption(field) {
    const { option } = field;
    const title = { name: option.name, description: `${option.description}${option.required ? '' : ' (optional)'}` };
    const pick = (choice) => () => {
      field.text = choice.name;
      field.value = choice.value;
      field.picked = true;
      field.input.value = choice.name;
      this.#sizeInput(field.input);
      this.#focusAfter(field);
    };
    const filter = (choices) =>
      choices.filter((choice) => choice.name.toLowerCase().includes(field.text.trim().toLowerCase()));
    if (option.autocomplete) {
      this.popup.show({ title, empty: 'Loading options…' });
      this.#autocomplete(field, title, (choices) =>
        this.popup.show({
          title,
          items: choices.map((choice) => ({ label: choice.name, pick: pick(choice) })),
          active: 0,
          empty: 'No options match your search.',
        }),
      );
      return;
    }
    const fixed = fixedChoices(option, this.context().world);
    if (fixed) {
      this.popup.show({
        title,
        items: filter(fixed).map((choice) => ({ label: choice.name, hint: choice.hint, pick: pick(choice) })),
        active: 0,
        empty: 'No options match your search.',
      });
      return;
    }
    const expects = OPTION_TYPE_NAMES[option.type] ?? 'value';
    this.popup.show({
      title: { ...title, description: `${title.description} · ${expects}` },
      items: this.#optionalItems(),
      active: -1,
    });
  }

  /** Asks the bot, as Discord does while the member types; only the latest answer is shown. */
  #autocomplete(field, title, show) {
    const run = ++this.autocompleteRun;
    clearTimeout(this.autocompleteTimer);
    this.autocompleteTimer = setTimeout(async () => {
      const { member, channel } = this.context();
      const options = { [field.option.name]: field.text };
      for (const other of this.fields) {
        if (other === field || other.option.type === OptionType.Attachment) continue;
        const resolved = fieldValue(other, this.context().world);
        if (resolved.ok && resolved.value !== undefined) options[other.option.name] = resolved.value;
      }
      try {
        const answer = await this.api.autocomplete({
          userId: member.id,
          channelId: channel.id,
          name: this.command.name,
          options,
          focused: field.option.name,
        });
        if (run === this.autocompleteRun && document.activeElement === field.input)
          show(answer.interaction.failed ? [] : answer.choices);
      } catch (error) {
        if (run === this.autocompleteRun) this.popup.show({ title, empty: `Loading options failed: ${error.message}` });
      }
    }, AUTOCOMPLETE_DELAY_MS);
  }

  #optionalItems(filterText = '') {
    const used = new Set(this.fields.map((field) => field.option.name));
    return this.command.options
      .filter((option) => !used.has(option.name) && option.name.startsWith(filterText.trim().toLowerCase()))
      .map((option) => ({
        label: option.name,
        detail: option.description,
        hint: 'optional',
        pick: () => this.#addField(option),
      }));
  }

  #showOptional() {
    const items = this.#optionalItems(this.tail.value);
    if (items.length === 0) return this.popup.hide();
    this.popup.show({ title: 'Optional options', items, active: this.tail.value.trim() ? 0 : -1 });
  }

  #addField(option) {
    const field = this.#newField(option);
    this.fields.push(field);
    this.#renderCommandLine();
    field.input.focus();
    if (option.type === OptionType.Attachment) field.input.click();
  }

  #focusAfter(field) {
    const next = this.fields[this.fields.indexOf(field) + 1];
    (next?.input ?? this.tail).focus();
  }

  /** Keys every part of the command line shares: the suggestion popup's, Enter sends, Escape clears. True when handled. */
  #commandLineKey(event) {
    if (this.#popupKey(event)) return true;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void this.#sendCommand();
      return true;
    }
    if (event.key === 'Escape') {
      this.reset();
      this.focus();
      return true;
    }
    return false;
  }

  #fieldKey(event, field) {
    if (this.#commandLineKey(event)) return;
    if (event.key === 'Backspace' && field.text === '' && !field.file && !field.option.required) {
      event.preventDefault();
      this.fields.splice(this.fields.indexOf(field), 1);
      this.#renderCommandLine();
      (this.fields.at(-1)?.input ?? this.tail).focus();
    }
  }

  #tailKey(event) {
    if (this.#commandLineKey(event)) return;
    if (event.key === 'Backspace' && this.tail.value === '') {
      event.preventDefault();
      const removable = this.fields.findLastIndex((field) => !field.option.required);
      if (removable >= 0) {
        this.fields.splice(removable, 1);
        this.#renderCommandLine();
        this.tail.focus();
      } else {
        // As in Discord: the command turns back into the text it was typed from.
        this.reset(`/${this.command.name}`);
        this.textInput.focus();
      }
    }
  }

  // ---- files -----------------------------------------------------------------------------------

  #fileChosen(file) {
    const field = this.pendingFileField;
    this.filePicker.value = '';
    if (!file || !field) return;
    field.file = file;
    this.#renderCommandLine();
    this.#focusAfter(field);
  }

  #fileDropped(file) {
    if (!file || !this.command) return;
    const option = this.command.options.find((candidate) => candidate.type === OptionType.Attachment);
    if (!option) return this.notify(`/${this.command.name} takes no file.`, 'error');
    let field = this.fields.find((candidate) => candidate.option === option);
    if (!field) this.fields.push((field = this.#newField(option)));
    this.pendingFileField = field;
    this.#fileChosen(file);
  }

  // ---- sending ---------------------------------------------------------------------------------

  async #sendCommand() {
    const { member, channel } = this.context();
    const options = {};
    let attachment;
    for (const field of this.fields) {
      const resolved = fieldValue(field, this.context().world);
      if (!resolved.ok) {
        field.pill.classList.add('invalid');
        field.input.focus();
        this.notify(resolved.message, 'error');
        return;
      }
      if (field.option.type === OptionType.Attachment) {
        attachment = {
          filename: field.file.name,
          contentType: field.file.type || undefined,
          base64: await fileToBase64(field.file),
          option: field.option.name,
        };
      } else if (resolved.value !== undefined) {
        options[field.option.name] = resolved.value;
      }
    }
    const name = this.command.name;
    try {
      await this.api.slashCommand({
        userId: member.id,
        channelId: channel.id,
        name,
        options,
        ...(attachment ? { attachment } : {}),
      });
      this.reset();
      this.focus();
    } catch (error) {
      this.notify(`/${name}: ${error.message}`, 'error');
    }
  }
}

/*
 * backlens docs widget: live, editable Node.js snippets with their performance findings.
 *
 *   <script src="…/widget/backlens-widget.js" defer></script>
 *   <backlens-snippet target="api" load-profile="high" height="12em" theme="dark" readonly>
 *   app.get('/users', async (req, res) => { … });
 *   </backlens-snippet>
 *
 * or `<pre data-backlens data-target="api" …>code</pre>` (upgraded to a <backlens-snippet>).
 * Attributes: target, endpoints, load-profile, priority (the seed's parameters), args (the
 * seed's argument string; the single attributes win), file (the file name the code is
 * analysed as: its extension picks JS/TS/JSX), readonly, height (a CSS length), theme
 * (light | dark | auto, the default), playground (the playground's URL for "Open in
 * playground"; default: the site this script comes from).
 *
 * Every widget of a page shares ONE Web Worker running backlens-core (one WebAssembly
 * instance), started when the first widget scrolls into view. Its URL is resolved from this
 * script's own URL (`data-worker` on the <script> overrides it), so the site works under any
 * sub-path; it must be on the page's origin (browsers start workers from no other). Styles live in shadow DOM (backlens-widget.css, next to this file) and the code
 * never touches the page's markup: text is only ever inserted as text. No inline style or
 * script is created, so pages with a strict CSP (script-src 'self'; style-src 'self') work.
 */
(() => {
  'use strict';
  if (window.customElements === undefined || customElements.get('backlens-snippet')) return;

  const script = document.currentScript;
  const here = script ? script.src : document.baseURI;
  const WORKER_URL = new URL((script && script.dataset.worker) || '../analysis-worker.js', here).href;
  const STYLE_URL = new URL((script && script.dataset.style) || 'backlens-widget.css', here).href;
  const PLAYGROUND_URL = new URL((script && script.dataset.playground) || '../', here).href;
  const DEBOUNCE_MS = 150;
  // The playground's share links hold at most this many characters (web/src/share.rs).
  const MAX_FRAGMENT = 32 * 1024;

  // ---- the shared analysis worker -------------------------------------------------------

  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id → callback(response)

  /** The shared worker, started on first use; throws with a readable message. */
  function startWorker() {
    if (worker) return worker;
    if (new URL(WORKER_URL).origin !== location.origin) {
      // Browsers start workers only from the page's own origin: host the built site (or
      // its widget/ folder with the worker files one level up) on the docs site itself.
      throw new Error(`the analyzer must be served from this site (${location.origin}), not ${new URL(WORKER_URL).origin}`);
    }
    try {
      worker = new Worker(WORKER_URL);
    } catch (error) {
      throw new Error(`the analyzer could not start: ${error.message}`);
    }
    worker.onmessage = (event) => {
      const response = event.data || {};
      const callback = pending.get(response.id);
      if (response.fatal) restartWorker(response.error);
      if (!callback) return;
      pending.delete(response.id);
      callback(response);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      restartWorker(`the analyzer could not start (${event.message || 'its script failed to load'})`);
    };
    return worker;
  }

  function failAll(message) {
    for (const [id, callback] of pending) {
      pending.delete(id);
      callback({ id, error: message });
    }
  }

  /** After a crash the wasm instance is unusable: answer what waits, start afresh next time. */
  function restartWorker(message) {
    if (worker) worker.terminate();
    worker = null;
    failAll(message);
  }

  /** Analyses `files` with the seed's argument string; resolves to the worker's response. */
  function analyse(files, args) {
    return new Promise((resolve) => {
      let w;
      try {
        w = startWorker();
      } catch (error) {
        resolve({ error: error.message });
        return;
      }
      const id = nextId++;
      pending.set(id, resolve);
      w.postMessage({ id, files, args, settings: [] });
    });
  }

  // The worker (and its WebAssembly) loads when the first widget comes into view.
  const waiting = new Set();
  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer.unobserve(entry.target);
              waiting.delete(entry.target);
              entry.target._visible();
            }
          },
          { rootMargin: '200px' },
        )
      : null;

  // ---- helpers ---------------------------------------------------------------------------

  /** The snippet's text as authored: no leading/trailing blank lines, common indent removed. */
  function dedent(text) {
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    return lines.map((l) => l.slice(cut)).join('\n');
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** `text` with its `code spans` (the messages' Markdown) as <code>, all of it as text nodes. */
  function inline(tag, className, text) {
    const node = el(tag, className);
    String(text)
      .split(/`([^`\n]+)`/)
      .forEach((part, i) => node.append(i % 2 ? el('code', '', part) : part));
    return node;
  }

  function quote(value) {
    return value.includes('"') ? `'${value}'` : `"${value}"`;
  }

  /** `#v1.` + base64url(raw deflate(JSON)) — the playground's share format. */
  async function shareFragment(snapshot) {
    if (typeof CompressionStream === 'undefined') return null;
    const stream = new Blob([JSON.stringify(snapshot)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const fragment = `#v1.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
    return fragment.length <= MAX_FRAGMENT ? fragment : null;
  }

  const EXTENSIONS = ['js', 'ts', 'jsx', 'tsx', 'mjs', 'cjs', 'mts', 'cts'];

  // ---- the element -----------------------------------------------------------------------

  class BacklensSnippet extends HTMLElement {
    static get observedAttributes() {
      return ['target', 'endpoints', 'load-profile', 'priority', 'args', 'file', 'readonly', 'height', 'theme'];
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: 'open' });
      this._built = false;
      this._visibleOnce = false;
      this._latest = 0;
      this._timer = 0;
    }

    connectedCallback() {
      if (this._built) {
        // Moved in the page: watch for it again if it was never visible.
        if (!this._visibleOnce && observer && !waiting.has(this)) {
          waiting.add(this);
          observer.observe(this);
        }
        return;
      }
      // The element's text is its code; while the parser is still inside it, wait.
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', () => this.connectedCallback(), { once: true });
        return;
      }
      this._build();
      if (observer) {
        waiting.add(this);
        observer.observe(this);
      } else {
        this._visible();
      }
    }

    disconnectedCallback() {
      clearTimeout(this._timer);
      if (observer && waiting.delete(this)) observer.unobserve(this);
    }

    attributeChangedCallback(name) {
      if (!this._built) return;
      this._applyLook();
      if (name !== 'readonly' && name !== 'height' && name !== 'theme') this._schedule(0);
    }

    /** The code in the editor. */
    get code() {
      return this._built ? this._area.value : dedent(this.textContent);
    }
    set code(text) {
      if (!this._built) {
        this.textContent = text;
        return;
      }
      this._area.value = String(text);
      this._renderGutter();
      this._schedule(0);
    }

    /** The seed's argument string the snippet is analysed with. */
    get args() {
      const parts = [];
      const base = (this.getAttribute('args') || '').trim();
      if (base) parts.push(base);
      for (const [attr, name] of [
        ['target', 'target'],
        ['endpoints', 'endpoints'],
        ['load-profile', 'load_profile'],
        ['priority', 'priority'],
      ]) {
        const value = this.getAttribute(attr);
        if (value !== null) parts.push(`${name}:${quote(value.trim())}`);
      }
      return parts.join(' ');
    }

    /** The file name the code is analysed as (`snippet.js` unless `file` says otherwise). */
    get fileName() {
      const file = (this.getAttribute('file') || '').trim();
      return file || 'snippet.js';
    }

    _build() {
      const text = dedent(this.textContent);
      const root = this._root;
      const link = el('link');
      link.rel = 'stylesheet';
      link.href = STYLE_URL;
      const box = el('div', 'bl');
      box.setAttribute('part', 'box');
      const editor = el('div', 'editor');
      const gutter = el('div', 'gutter');
      gutter.setAttribute('aria-hidden', 'true');
      const area = el('textarea', 'code');
      area.spellcheck = false;
      area.autocomplete = 'off';
      area.wrap = 'off';
      area.setAttribute('autocapitalize', 'off');
      area.setAttribute('aria-label', `Code (${this.fileName}), analysed by backlens as you type`);
      area.value = text;
      editor.append(gutter, area);
      const bar = el('div', 'bar');
      const status = el('span', 'status', 'Scroll into view to analyse');
      status.setAttribute('role', 'status');
      const open = el('a', 'open', 'Open in playground ↗');
      open.target = '_blank';
      open.rel = 'noopener';
      open.href = PLAYGROUND_URL;
      bar.append(status, open);
      const findings = el('ol', 'findings');
      findings.setAttribute('aria-label', 'Findings');
      box.append(editor, bar, findings);
      root.append(link, box);

      Object.assign(this, { _box: box, _gutter: gutter, _area: area, _status: status, _open: open, _list: findings });
      this._built = true;
      this._applyLook();
      this._renderGutter();
      area.addEventListener('input', () => {
        this._renderGutter();
        this._schedule(DEBOUNCE_MS);
      });
      area.addEventListener('scroll', () => {
        gutter.scrollTop = area.scrollTop;
      });
    }

    _applyLook() {
      const theme = (this.getAttribute('theme') || 'auto').toLowerCase();
      this._box.dataset.theme = theme === 'dark' || theme === 'light' ? theme : 'auto';
      this._area.readOnly = this.hasAttribute('readonly');
      const height = this.getAttribute('height');
      // Through the CSSOM (not a style attribute, which a strict CSP blocks).
      if (height && CSS.supports('height', height)) this._box.style.setProperty('--bl-height', height);
      else this._box.style.removeProperty('--bl-height');
    }

    _renderGutter(marks) {
      if (marks) this._marks = marks;
      const count = this._area.value.split('\n').length;
      const lines = [];
      for (let i = 1; i <= count; i++) {
        const line = el('span', this._marks && this._marks.has(i) ? 'ln flagged' : 'ln', String(i));
        lines.push(line);
      }
      this._gutter.replaceChildren(...lines);
      this._gutter.scrollTop = this._area.scrollTop;
    }

    _visible() {
      this._visibleOnce = true;
      this._schedule(0);
    }

    _schedule(delay) {
      if (!this._visibleOnce) return;
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this._run(), delay);
    }

    async _run() {
      const id = ++this._latest;
      const code = this._area.value;
      const file = this.fileName;
      const args = this.args;
      this._box.setAttribute('aria-busy', 'true');
      if (!this._list.childElementCount) this._status.textContent = 'Analysing…';
      this._updateLink(code, file, args);
      const response = await analyse([{ path: file, source: code }], args);
      if (id !== this._latest) return; // a newer edit is on its way
      this._box.removeAttribute('aria-busy');
      this._render(response);
    }

    async _updateLink(code, file, args) {
      const ext = (file.match(/\.([a-z]+)$/i) || [])[1];
      const lang = ext && EXTENSIONS.includes(ext.toLowerCase()) ? ext.toLowerCase().replace(/^[mc]/, '') : 'js';
      const snapshot = { code, file: `playground.${['ts', 'jsx', 'tsx'].includes(lang) ? lang : 'js'}`, args, cost: [] };
      let fragment = null;
      try {
        fragment = await shareFragment(snapshot);
      } catch {
        fragment = null;
      }
      if (code !== this._area.value) return;
      this._open.href = PLAYGROUND_URL + (fragment || '');
      this._open.title = fragment ? 'This code and its parameters in the backlens playground' : 'Too large for a link: opens the playground';
    }

    _render(response) {
      const list = this._list;
      list.replaceChildren();
      this._box.classList.remove('failed');
      if (response.error) {
        this._box.classList.add('failed');
        this._status.textContent = `Not analysed: ${response.error}`;
        this._renderGutter(new Set());
        this.dispatchEvent(new CustomEvent('backlens-analysis', { detail: { error: response.error } }));
        return;
      }
      const analysis = response.analysis;
      const broken = (analysis.files || []).find((f) => f.error);
      const findings = analysis.findings || [];
      const marks = new Set(findings.map((f) => f.line));
      if (broken) {
        const e = broken.error;
        this._box.classList.add('failed');
        this._status.textContent = `Parse error at line ${e.line}, column ${e.column}: ${e.message}`;
        marks.add(e.line);
      } else if (!findings.length) {
        this._status.textContent = 'No performance findings.';
      } else {
        this._status.textContent = findings.length === 1 ? '1 finding' : `${findings.length} findings`;
      }
      this._renderGutter(marks);
      for (const f of findings) list.append(this._finding(f));
      this.dispatchEvent(new CustomEvent('backlens-analysis', { detail: { analysis } }));
    }

    _finding(f) {
      const item = el('li', `finding ${f.severity}`);
      const head = el('div', 'head');
      const where = el('button', 'where', `line ${f.line}`);
      where.type = 'button';
      where.title = `Select line ${f.line} in the code`;
      where.addEventListener('click', () => this._select(f));
      head.append(el('span', 'severity', f.severity), el('code', 'rule', f.rule), where);
      if (f.endpoint) head.append(el('span', 'endpoint', f.endpoint));
      item.append(head, inline('p', 'message', f.message));
      if (f.estimate && f.estimate.summary) item.append(inline('p', 'estimate', f.estimate.summary));
      if (f.after) {
        const fix = el('details', 'fix');
        fix.append(el('summary', '', 'Fix'), el('pre', '', f.after));
        item.append(fix);
      }
      return item;
    }

    /** Selects the finding's range in the editor (columns count UTF-16 units, like JS). */
    _select(f) {
      const lines = this._area.value.split('\n');
      const offset = (line, column) => {
        let at = 0;
        for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
        return at + Math.max(0, column - 1);
      };
      this._area.focus();
      this._area.setSelectionRange(offset(f.line, f.column), offset(f.end_line, f.end_column));
      const lineHeight = this._area.scrollHeight / Math.max(1, lines.length);
      this._area.scrollTop = Math.max(0, (f.line - 3) * lineHeight);
    }
  }

  customElements.define('backlens-snippet', BacklensSnippet);

  // <pre data-backlens data-target="api" …> → <backlens-snippet target="api" …>
  function upgradePres() {
    for (const pre of document.querySelectorAll('pre[data-backlens]')) {
      const snippet = document.createElement('backlens-snippet');
      // data-target="api" → target="api"; id, class, title… are kept as they are.
      for (const { name, value } of pre.attributes) {
        if (name === 'data-backlens' || name === 'style') continue;
        snippet.setAttribute(name.startsWith('data-') ? name.slice(5) : name, value);
      }
      snippet.textContent = pre.textContent;
      pre.replaceWith(snippet);
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', upgradePres, { once: true });
  else upgradePres();
})();

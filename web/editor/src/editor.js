// The playground's code editor: CodeMirror 6, bundled by esbuild (web/editor/build.mjs) into
// one classic script that defines the global `BacklensEditor`; the Rust side (web/src/editor.rs)
// calls it through wasm-bindgen. Positions crossing the bridge are 1-based lines and UTF-16
// columns, as in backlens-core's findings; CodeMirror's offsets are UTF-16 too.

import { EditorState, Compartment, Annotation, StateField } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  showTooltip,
} from '@codemirror/view';
import {
  defaultKeymap,
  history,
  historyKeymap,
  indentWithTab,
  temporarilySetTabFocusMode,
} from '@codemirror/commands';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { lintGutter, lintKeymap, setDiagnostics, forEachDiagnostic } from '@codemirror/lint';
import { HighlightStyle, syntaxHighlighting, bracketMatching, indentOnInput } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { tags as t } from '@lezer/highlight';

// Token colours come from CSS variables (public/style.css), so the light and dark themes
// switch them without reconfiguring the editor.
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword], color: 'var(--tok-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--tok-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--tok-number)' },
  { tag: [t.lineComment, t.blockComment, t.docComment], color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--tok-function)' },
  { tag: [t.typeName, t.className, t.namespace], color: 'var(--tok-type)' },
  { tag: [t.propertyName], color: 'var(--tok-property)' },
  { tag: [t.definition(t.variableName)], color: 'var(--tok-definition)' },
  { tag: [t.meta, t.annotation], color: 'var(--tok-meta)' },
  { tag: t.invalid, color: 'var(--tok-invalid)' },
]);

/** The language for a file name: TypeScript and JSX by its extension. */
function language(fileName) {
  const name = String(fileName).toLowerCase();
  const typescript = /\.(ts|tsx|mts|cts)$/.test(name);
  const jsx = /\.(jsx|tsx)$/.test(name);
  return javascript({ typescript, jsx });
}

/** Marks changes made from outside (Rust), which must not be reported back as edits. */
const external = Annotation.define();

/** The offset of a 1-based line and UTF-16 column, clamped to the line and the document. */
function offset(doc, line, column) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

// Severity of backlens → CodeMirror's lint severity (gutter marker, underline colour); the
// exact severity is kept as a class on the mark for the style sheet.
const LINT_SEVERITY = { notice: 'info', low: 'info', medium: 'warning', high: 'error', critical: 'error', error: 'error' };

/**
 * The message of the diagnostic under the cursor, as a tooltip, so keyboard users read it
 * without hovering (hover shows the same message through the lint extension). Only once the
 * user has moved the cursor or typed: on load the cursor sits at the start, and a tooltip
 * opening by itself there covers the page's controls. New text from outside disarms it again.
 */
const cursorDiagnostic = StateField.define({
  create: () => ({ armed: false, tip: null }),
  update(value, tr) {
    // New text from outside (an example, a file, "Clear"): as on load, no tooltip until the user moves.
    if (tr.annotation(external)) return { armed: false, tip: null };
    const user = tr.isUserEvent('select') || tr.isUserEvent('input') || tr.isUserEvent('delete')
      || tr.isUserEvent('undo') || tr.isUserEvent('redo') || tr.isUserEvent('move');
    const armed = value.armed || user;
    if (!armed) return value;
    if (armed === value.armed && !tr.docChanged && !tr.selection && !tr.effects.length) return value;
    return { armed, tip: diagnosticTooltip(tr.state) };
  },
  provide: (field) => showTooltip.compute([field], (state) => state.field(field).tip),
});

function diagnosticsAt(state) {
  const head = state.selection.main.head;
  const found = [];
  forEachDiagnostic(state, (d, from, to) => {
    if (from <= head && head <= to) found.push(d);
  });
  return found;
}

function diagnosticTooltip(state) {
  if (!state.selection.main.empty) return null;
  const found = diagnosticsAt(state);
  if (found.length === 0) return null;
  return {
    pos: state.selection.main.head,
    // Below the line: above it, on the first lines, it would cover the controls over the editor.
    above: false,
    strictSide: false,
    create() {
      const dom = document.createElement('div');
      dom.className = 'cm-backlens-cursor-tip';
      for (const d of found) {
        const line = document.createElement('div');
        line.className = `cm-diagnostic cm-diagnostic-${d.severity}`;
        line.textContent = d.message;
        dom.appendChild(line);
      }
      return { dom };
    },
  };
}

/**
 * Creates an editor in `parent` (emptied first).
 * options: { doc, fileName, label, onChange(text), onCursor(line, column) }
 * Returns a handle; see the methods below.
 */
export function create(parent, options) {
  const languageConf = new Compartment();
  const onChange = options.onChange ?? (() => {});
  const onCursor = options.onCursor ?? (() => {});
  // Screen readers hear the message of the diagnostic the cursor enters.
  const live = document.createElement('div');
  live.className = 'visually-hidden';
  live.setAttribute('aria-live', 'polite');
  let spoken = '';

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc ?? '',
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(highlight),
        search({ top: true }),
        lintGutter(),
        cursorDiagnostic,
        EditorState.tabSize.of(2),
        languageConf.of(language(options.fileName ?? 'playground.js')),
        keymap.of([
          ...searchKeymap,
          ...historyKeymap,
          ...lintKeymap,
          ...defaultKeymap,
          indentWithTab,
          // Escape, then Tab, leaves the editor (Tab indents otherwise).
          { key: 'Escape', run: temporarilySetTabFocusMode },
        ]),
        EditorView.contentAttributes.of({
          'aria-label': options.label ?? 'Code',
          'aria-describedby': 'editor-help',
          spellcheck: 'false',
          autocapitalize: 'off',
          autocorrect: 'off',
          // Declared focusable, so that checkers (axe: scrollable-region-focusable) see the
          // scrolling area has keyboard access (contenteditable is focusable anyway).
          tabindex: '0',
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((tr) => tr.annotation(external))) {
            onChange(update.state.doc.toString());
          }
          if (update.docChanged || update.selectionSet) {
            const head = update.state.selection.main.head;
            const line = update.state.doc.lineAt(head);
            onCursor(line.number, head - line.from + 1);
            const found = update.state.selection.main.empty ? diagnosticsAt(update.state) : [];
            const message = found.map((d) => d.message).join(' ');
            if (message !== spoken) {
              spoken = message;
              live.textContent = message;
            }
          }
        }),
      ],
    }),
  });
  parent.appendChild(live);

  return {
    view,
    /** The whole text. */
    text: () => view.state.doc.toString(),
    /** Replaces the whole text (an example, "Clear"): one undoable step, not echoed to onChange. */
    setText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: { anchor: 0 },
        annotations: external.of(true),
        scrollIntoView: true,
      });
    },
    /** Highlights the text as the file name's language (JS, TS, JSX, TSX). */
    setLanguage(fileName) {
      view.dispatch({ effects: languageConf.reconfigure(language(fileName)) });
    },
    /**
     * Shows findings and parse errors: [{ line, column, endLine, endColumn, severity, message }]
     * (or that array as JSON text), severity one of notice (a suppression comment to fix),
     * low, medium, high, critical, error. Positions outside the text (the answer is for an
     * older text) are clamped.
     */
    setDiagnostics(items) {
      if (typeof items === 'string') items = JSON.parse(items);
      const doc = view.state.doc;
      const diagnostics = [];
      for (const item of items) {
        const from = offset(doc, item.line, item.column);
        let to = offset(doc, item.endLine ?? item.line, item.endColumn ?? item.column);
        if (to < from) to = from;
        // An empty range (a parse error at one point) still gets a visible mark.
        if (to === from) to = Math.min(from + 1, doc.lineAt(from).to);
        diagnostics.push({
          from,
          to,
          severity: LINT_SEVERITY[item.severity] ?? 'warning',
          markClass: `cm-backlens-${item.severity}`,
          source: item.source ?? 'backlens',
          message: item.message,
        });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /** Selects a range (1-based lines, UTF-16 columns), scrolls it into view, focuses. */
    select(line, column, endLine, endColumn) {
      const doc = view.state.doc;
      const anchor = offset(doc, line, column);
      const head = Math.max(anchor, offset(doc, endLine ?? line, endColumn ?? column));
      view.dispatch({
        selection: { anchor, head },
        effects: EditorView.scrollIntoView(anchor, { y: 'center' }),
      });
      view.focus();
    },
    focus: () => view.focus(),
    destroy() {
      view.destroy();
      live.remove();
    },
  };
}

/** The editor inside `element` (e.g. `#code`), or null. */
function viewIn(element) {
  const dom = element?.matches?.('.cm-editor') ? element : element?.querySelector?.('.cm-editor');
  return dom ? EditorView.findFromDOM(dom) : null;
}

/** The whole text of the editor inside `element` (for tests and embedding pages). */
export function textOf(element) {
  return viewIn(element)?.state.doc.toString() ?? null;
}

/** The main selection of the editor inside `element`: UTF-16 offsets { from, to, head }. */
export function selectionOf(element) {
  const range = viewIn(element)?.state.selection.main;
  return range ? { from: range.from, to: range.to, head: range.head } : null;
}

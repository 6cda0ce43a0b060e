import type { Tree } from '@nx/devkit';

// Edits of files the whole team owns. Each finds an anchor by its shape and returns undefined when
// the shape is gone, so the generator reports a manual step instead of writing something wrong.

/**
 * Applies a change to a file of the tree; a change that finds no anchor (or a missing file) is
 * recorded as a manual step, with what to do by hand.
 */
export function fileEditor(tree: Tree, manualSteps: string[]) {
  return (file: string, what: string, change: (text: string) => string | undefined): void => {
    const text = tree.read(file, 'utf-8');
    const changed = text === null ? undefined : change(text);
    if (changed === undefined) manualSteps.push(`${file}: ${what}`);
    else tree.write(file, changed);
  };
}

/** `[a, b]` or `{ a, b }` (one line) gains an item at its end. */
export function appendToList(text: string, list: RegExp, item: string): string | undefined {
  const match = list.exec(text);
  if (!match) return undefined;
  const inner = match[1];
  const trimmed = inner.replace(/[\s,]*$/, '');
  const trailing = inner.slice(trimmed.length).replace(/,/g, '');
  const replaced = match[0].replace(inner, `${trimmed}, ${item}${trailing}`);
  return text.slice(0, match.index) + replaced + text.slice(match.index + match[0].length);
}

/** A multi-line `{ ... }` opened by `opening` gains a line before its closing `};`. */
export function appendToBlock(text: string, opening: RegExp, line: string): string | undefined {
  const match = opening.exec(text);
  if (!match) return undefined;
  const close = text.indexOf('\n};', match.index + match[0].length);
  if (close === -1) return undefined;
  return text.slice(0, close + 1) + line + text.slice(close + 1);
}

export function insertAfter(text: string, anchor: RegExp, addition: string): string | undefined {
  const match = anchor.exec(text);
  if (!match) return undefined;
  const at = match.index + match[0].length;
  return text.slice(0, at) + addition + text.slice(at);
}

/** Inserts `addition` after the last match of `anchor` (a global regex). */
export function insertAfterLast(text: string, anchor: RegExp, addition: string): string | undefined {
  const matches = [...text.matchAll(anchor)];
  const last = matches[matches.length - 1];
  if (!last || last.index === undefined) return undefined;
  const at = last.index + last[0].length;
  return text.slice(0, at) + addition + text.slice(at);
}

import { useEffect, useRef } from 'react';

/** Typing into a field must never trigger a shortcut: text inputs, selects, editable text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  // A checkbox or a button takes no text: j/k still move from a row's checkbox.
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
    type,
  );
}

/** Controls that act on Enter themselves: a shortcut must leave their Enter alone. */
export function isActivatable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.closest('a[href], button, summary, [role="button"], input, select, textarea') !==
      null)
  );
}

export type ShortcutHandler = (event: KeyboardEvent) => void;

/**
 * Single-key shortcuts on the whole page (`{ j: next, '?': help }`), ignored while typing, with
 * Ctrl, Alt or Meta held (the browser's own shortcuts), or when something else handled the key.
 */
export function useShortcuts(handlers: Record<string, ShortcutHandler>, enabled = true): void {
  // The latest handlers without re-subscribing on every render.
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.isComposing || isTypingTarget(event.target)) return;
      const handler = current.current[event.key];
      if (!handler) return;
      handler(event);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

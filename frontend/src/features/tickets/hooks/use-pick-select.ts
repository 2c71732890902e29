import { useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';

// Keys that step a closed select to another option (and so fire `change` at once in some
// browsers) without the person having chosen anything yet.
const STEPPING_KEYS = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

function steps(event: KeyboardEvent): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  // A printable key jumps to the option starting with it (type-ahead); Space opens the list.
  return STEPPING_KEYS.has(event.key) || (event.key.length === 1 && event.key !== ' ');
}

/**
 * A select that saves what is picked with the pointer or confirmed with Enter, never what
 * arrow keys (or typing) merely step through: those show as a draft until Enter saves it,
 * and Escape or leaving the control forgets it.
 */
export function usePickSelect<T extends string>(saved: T, onPick: (value: T) => void) {
  const [draft, setDraft] = useState<T | null>(null);
  const fromKeyboard = useRef(false);
  const value = draft ?? saved;
  const pending = draft !== null && draft !== saved;

  return {
    value,
    /** An option stepped to but not saved yet. */
    pending,
    selectProps: {
      value,
      onKeyDown(event: KeyboardEvent<HTMLSelectElement>) {
        if (event.key === 'Enter') {
          fromKeyboard.current = false;
          if (pending) {
            event.preventDefault();
            setDraft(null);
            onPick(draft);
          }
          return;
        }
        if (event.key === 'Escape' && draft !== null) {
          event.preventDefault();
          setDraft(null);
          return;
        }
        if (steps(event)) fromKeyboard.current = true;
      },
      onPointerDown() {
        fromKeyboard.current = false;
      },
      onChange(event: ChangeEvent<HTMLSelectElement>) {
        const next = event.target.value as T;
        if (fromKeyboard.current) {
          fromKeyboard.current = false;
          setDraft(next === saved ? null : next);
          return;
        }
        setDraft(null);
        if (next !== saved) onPick(next);
      },
      onBlur() {
        fromKeyboard.current = false;
        setDraft(null);
      },
    },
  };
}

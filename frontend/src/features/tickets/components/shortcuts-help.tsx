import { useEffect, useRef } from 'react';

export type Shortcut = { keys: string; does: string };

export const LIST_SHORTCUTS: Shortcut[] = [
  { keys: 'j / k', does: 'Next / previous ticket' },
  { keys: 'Enter', does: 'Open the ticket' },
  { keys: 'x', does: 'Select or unselect the ticket' },
  { keys: 'e', does: 'Resolve the ticket' },
  { keys: 'a', does: 'Assign the ticket to me' },
  { keys: '/', does: 'Search' },
  { keys: '?', does: 'Show these shortcuts' },
];

export const TICKET_SHORTCUTS: Shortcut[] = [
  { keys: 'j / k', does: 'Next / previous ticket of the list you came from' },
  { keys: 'e', does: 'Resolve the ticket' },
  { keys: 'a', does: 'Assign the ticket to me' },
  { keys: 'r', does: 'Reply: write in the conversation' },
  { keys: 'u', does: 'Back to the list' },
  { keys: '?', does: 'Show these shortcuts' },
];

type ShortcutsHelpProps = {
  shortcuts: Shortcut[];
  onClose: () => void;
};

/** The keyboard shortcuts of this page; Escape or the button closes it. */
export function ShortcutsHelp({ shortcuts, onClose }: ShortcutsHelpProps) {
  const closeButton = useRef<HTMLButtonElement>(null);
  // The latest onClose, so a parent's new function each render doesn't re-run the effect.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement;
    closeButton.current?.focus();
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' || event.key === '?') {
        event.preventDefault();
        close.current();
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      if (before instanceof HTMLElement) before.focus();
    };
  }, []);

  return (
    <div className="shortcuts-backdrop" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        className="card shortcuts"
        onClick={(event) => event.stopPropagation()}
      >
        <div className="shortcuts__header">
          <h2 id="shortcuts-title" className="panel__title">
            Keyboard shortcuts
          </h2>
          <button ref={closeButton} type="button" className="button button--link" onClick={onClose}>
            Close
          </button>
        </div>
        <dl className="shortcuts__list">
          {shortcuts.map((shortcut) => (
            <div key={shortcut.keys} className="shortcuts__row">
              <dt>
                <kbd>{shortcut.keys}</kbd>
              </dt>
              <dd>{shortcut.does}</dd>
            </div>
          ))}
        </dl>
        <p className="panel__muted">Shortcuts are off while you type in a field.</p>
      </div>
    </div>
  );
}

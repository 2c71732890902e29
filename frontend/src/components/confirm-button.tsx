import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

type ConfirmButtonProps = {
  /** The action as offered, e.g. "Merge into this". */
  label: string;
  /** What will happen, asked before it does, e.g. "Close #5 as a duplicate of #3?". */
  question: ReactNode;
  /** The button that goes ahead, e.g. "Merge". */
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
  /** Refuses clicks but stays focusable, so focus stays put while the action runs. */
  disabled?: boolean;
  /** Go ahead without asking, e.g. when there is nothing to lose. */
  skipConfirmation?: boolean;
  className?: string;
};

/**
 * A button that asks first, in place: no modal, so it works the same with a keyboard, a
 * screen reader and a small screen. Focus moves to the question and back to the button,
 * unless going ahead put it somewhere else.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  disabled = false,
  skipConfirmation = false,
  className = 'button button--secondary',
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    // The question took the focused button with it: back to this one, so keyboard users don't
    // lose their place. An action that moved focus on purpose (e.g. its button goes) keeps it.
    const focusLost = document.activeElement === null || document.activeElement === document.body;
    if (wasAsking.current && !asking && focusLost) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={className}
        aria-disabled={disabled || undefined}
        onClick={() => {
          if (disabled) return;
          if (skipConfirmation) onConfirm();
          else setAsking(true);
        }}
      >
        {label}
      </button>
    );
  }

  return (
    <div role="group" aria-labelledby={questionId} className="confirm">
      <p id={questionId} className="confirm__question">
        {question}
      </p>
      <div className="confirm__actions">
        <button
          type="button"
          className="button"
          autoFocus
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}

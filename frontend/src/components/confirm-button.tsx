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
  disabled?: boolean;
  /** Go ahead without asking, e.g. when there is nothing to lose. */
  skipConfirmation?: boolean;
  className?: string;
};

/**
 * A button that asks first, in place: no modal, so it works the same with a keyboard, a
 * screen reader and a small screen. Focus moves to the question and back to the button.
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
    // Back to the button after "Cancel", so keyboard users don't lose their place.
    if (wasAsking.current && !asking) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => (skipConfirmation ? onConfirm() : setAsking(true))}
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
            wasAsking.current = false;
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

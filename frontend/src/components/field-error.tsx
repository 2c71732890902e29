type FieldErrorProps = {
  id: string;
  messages: string[] | undefined;
};

/** Always rendered so the live region exists before a message is put in it. */
export function FieldError({ id, messages }: FieldErrorProps) {
  return (
    <p id={id} className="field__error" aria-live="polite">
      {messages?.join(' ')}
    </p>
  );
}

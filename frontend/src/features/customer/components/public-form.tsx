import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { ProblemError } from '@/lib/api-client';
import {
  CUSTOMER_EMAIL_MAX_LENGTH,
  CUSTOMER_NAME_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '@/types/api-limits';
import { useFilePublicTicket } from '../api/customer';

/** The customers' form: no account, and a private link to follow the ticket afterwards. */
export function PublicForm() {
  const file = useFilePublicTicket();
  const [fields, setFields] = useState({ name: '', email: '', title: '', description: '' });
  const errors = file.error instanceof ProblemError ? file.error.fieldErrors : {};
  const set = (field: keyof typeof fields) => (value: string) =>
    setFields((now) => ({ ...now, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    file.mutate(fields);
  }

  if (file.data) {
    return (
      <div className="card form" role="status">
        <h2>Ticket #{file.data.ticket_id} received</h2>
        <p>
          Keep this private link: it shows your ticket and our replies, and lets you answer. It
          stops working after {file.data.idle_days} days unused.
        </p>
        <input
          aria-label="Your private link"
          className="one-time-link"
          readOnly
          value={file.data.url}
        />
        <a className="button" href={file.data.url}>
          Open my ticket
        </a>
      </div>
    );
  }
  return (
    <form className="card form auth-form" onSubmit={submit} aria-label="Contact support">
      <TextField
        id="public-name"
        label="Your name"
        value={fields.name}
        onChange={set('name')}
        max={CUSTOMER_NAME_MAX_LENGTH}
        errors={errors.name}
      />
      <TextField
        id="public-email"
        label="Your email"
        type="email"
        value={fields.email}
        onChange={set('email')}
        max={CUSTOMER_EMAIL_MAX_LENGTH}
        errors={errors.email}
      />
      <TextField
        id="public-title"
        label="Subject"
        value={fields.title}
        onChange={set('title')}
        max={TITLE_MAX_LENGTH}
        errors={errors.title}
      />
      <div className="field">
        <label htmlFor="public-description">How can we help?</label>
        <textarea
          id="public-description"
          dir="auto"
          rows={6}
          required
          maxLength={DESCRIPTION_MAX_LENGTH}
          value={fields.description}
          onChange={(event) => set('description')(event.target.value)}
        />
        <FieldError id="public-description-error" messages={errors.description} />
      </div>
      {file.isError && Object.keys(errors).length === 0 && <ErrorAlert error={file.error} />}
      <div className="form__actions">
        <button type="submit" className="button" disabled={file.isPending}>
          Send
        </button>
      </div>
    </form>
  );
}

type TextFieldProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  max: number;
  errors: string[] | undefined;
  type?: string;
};

function TextField({ id, label, value, onChange, max, errors, type = 'text' }: TextFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        dir="auto"
        required
        maxLength={max}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldError id={`${id}-error`} messages={errors} />
    </div>
  );
}

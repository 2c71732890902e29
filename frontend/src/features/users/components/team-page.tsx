import { useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { ProblemError } from '@/lib/api-client';
import { teamLabel, useTeams } from '@/lib/teams';
import { useUsers } from '@/lib/users';
import { useInviteUser, useResetLink, useUpdateUser, type Role, type User } from '../api/users';

const ROLES: { value: Role; label: string }[] = [
  { value: 'agent', label: 'Agent' },
  { value: 'viewer', label: 'Viewer (read only)' },
  { value: 'admin', label: 'Admin' },
];

/** Admins: the staff, invitations, roles, teams and password resets. */
export function TeamPage() {
  const users = useUsers();
  return (
    <>
      <InviteForm />
      <section aria-labelledby="staff-heading" className="card staff">
        <h2 id="staff-heading">Staff</h2>
        {users.isPending && <Loading label="Loading the staff…" />}
        {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
        {users.data && (
          <ul className="staff-list">
            {users.data.map((user) => (
              <StaffRow key={user.id} user={user} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function InviteForm() {
  const invite = useInviteUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [chosen, setChosen] = useState<string[]>([]);
  const fieldErrors = invite.error instanceof ProblemError ? invite.error.fieldErrors : {};

  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate(
      { email, name, role, teams: chosen },
      {
        onSuccess: () => {
          setEmail('');
          setName('');
          setChosen([]);
        },
      },
    );
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <div className="form__row">
        <div className="field">
          <label htmlFor="invite-email">Email</label>
          <input
            id="invite-email"
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <FieldError id="invite-email-error" messages={fieldErrors.email} />
        </div>
        <div className="field">
          <label htmlFor="invite-name">Name</label>
          <input
            id="invite-name"
            dir="auto"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <FieldError id="invite-name-error" messages={fieldErrors.name} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select
            id="invite-role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TeamChoices
        legend="Teams"
        chosen={chosen}
        onChange={setChosen}
        errorId="invite-teams-error"
        errors={fieldErrors.teams}
      />
      {invite.isError && Object.keys(fieldErrors).length === 0 && (
        <ErrorAlert error={invite.error} />
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={invite.isPending}>
          Invite
        </button>
      </div>
      {invite.data && (
        <OneTimeLink
          label={`Invitation for ${invite.data.user.name}`}
          url={invite.data.invitation.url}
          hours={invite.data.invitation.expires_in_hours}
        />
      )}
    </form>
  );
}

type TeamChoicesProps = {
  legend: string;
  chosen: string[];
  onChange: Dispatch<SetStateAction<string[]>>;
  errorId: string;
  errors?: string[] | undefined;
};

/** A checkbox for each team of the routing file. */
function TeamChoices({ legend, chosen, onChange, errorId, errors }: TeamChoicesProps) {
  const { data: teams = [] } = useTeams();
  return (
    <fieldset className="chips">
      <legend className="chips__legend">{legend}</legend>
      <div className="chips__options">
        {teams.map((team) => (
          <label key={team.id} className="chip">
            <input
              type="checkbox"
              checked={chosen.includes(team.id)}
              onChange={(event) =>
                onChange((now) =>
                  event.target.checked ? [...now, team.id] : now.filter((t) => t !== team.id),
                )
              }
            />
            <span>{team.name}</span>
          </label>
        ))}
      </div>
      <FieldError id={errorId} messages={errors} />
    </fieldset>
  );
}

/** A person's teams, changed in place: they see those teams' tickets from their next request. */
function TeamsEditor({ user, onDone }: { user: User; onDone: () => void }) {
  const update = useUpdateUser(user.id);
  const [chosen, setChosen] = useState<string[]>(user.teams);
  const fieldErrors = update.error instanceof ProblemError ? update.error.fieldErrors : {};

  function save(event: FormEvent) {
    event.preventDefault();
    update.mutate({ teams: chosen }, { onSuccess: onDone });
  }

  return (
    <form id={`teams-of-${user.id}`} className="staff-list__teams" onSubmit={save}>
      <TeamChoices
        legend={`Teams of ${user.name}`}
        chosen={chosen}
        onChange={setChosen}
        errorId={`teams-${user.id}-error`}
        errors={fieldErrors.teams}
      />
      {update.isError && Object.keys(fieldErrors).length === 0 && (
        <ErrorAlert error={update.error} />
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={update.isPending}>
          Save teams
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StaffRow({ user }: { user: User }) {
  const update = useUpdateUser(user.id);
  const reset = useResetLink(user.id);
  const { data: teams = [] } = useTeams();
  const [editingTeams, setEditingTeams] = useState(false);
  return (
    <li className="staff-list__item">
      <div className="staff-list__who">
        <strong dir="auto">{user.name}</strong> <span className="muted">{user.email}</span>
        <span className="muted">
          {user.teams.length ? user.teams.map((t) => teamLabel(t, teams)).join(', ') : 'No team'}
          {user.status !== 'active' ? ` · ${user.status}` : ''}
        </span>
      </div>
      <div className="staff-list__actions">
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {user.name}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={update.isPending}
          onChange={(event) => update.mutate({ role: event.target.value as Role })}
        >
          {ROLES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--secondary"
          disabled={update.isPending}
          onClick={() =>
            update.mutate({ status: user.status === 'deactivated' ? 'active' : 'deactivated' })
          }
        >
          {user.status === 'deactivated' ? 'Reactivate' : 'Deactivate'}
        </button>
        <button
          type="button"
          className="button button--secondary"
          aria-label={`Teams of ${user.name}`}
          aria-expanded={editingTeams}
          aria-controls={editingTeams ? `teams-of-${user.id}` : undefined}
          onClick={() => setEditingTeams((open) => !open)}
        >
          Teams
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={reset.isPending}
          onClick={() => reset.mutate()}
        >
          Reset password link
        </button>
      </div>
      {editingTeams && <TeamsEditor user={user} onDone={() => setEditingTeams(false)} />}
      {update.isError && <ErrorAlert error={update.error} />}
      {reset.data && (
        <OneTimeLink
          label={`Reset link for ${user.name}`}
          url={reset.data.url}
          hours={reset.data.expires_in_hours}
        />
      )}
    </li>
  );
}

/** Shown once (only its hash is kept): to hand over until email sends it. */
function OneTimeLink({ label, url, hours }: { label: string; url: string; hours: number }) {
  return (
    <div className="alert alert--success" role="status">
      <p className="alert__title">{label}</p>
      <p>Send this one-time link to them; it works for {hours} hours and is shown only now.</p>
      <input
        aria-label={label}
        className="one-time-link"
        readOnly
        value={url}
        onFocus={(event) => event.target.select()}
      />
    </div>
  );
}

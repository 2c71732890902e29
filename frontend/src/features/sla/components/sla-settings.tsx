import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import { FieldError } from '@/components/field-error';
import { Loading } from '@/components/loading';
import { messagesFor, ProblemError } from '@/lib/api-client';
import { useTeams, type TeamInfo } from '@/lib/teams';
import {
  useDeleteSlaCalendar,
  useSetSlaCalendar,
  useSetSlaTargets,
  useSlaCalendars,
  useSlaTargets,
  type SlaCalendar,
  type SlaCalendarIn,
  type SlaTargets,
  type Weekday,
} from '../api/settings';

const TARGETS = [
  { field: 'first_response_minutes', label: 'First response' },
  { field: 'next_response_minutes', label: 'Next response' },
  { field: 'resolution_minutes', label: 'Resolution' },
] as const;
type TargetField = (typeof TARGETS)[number]['field'];
const WEEKDAYS: { day: Weekday; label: string }[] = [
  { day: 'mon', label: 'Mon' },
  { day: 'tue', label: 'Tue' },
  { day: 'wed', label: 'Wed' },
  { day: 'thu', label: 'Thu' },
  { day: 'fri', label: 'Fri' },
  { day: 'sat', label: 'Sat' },
  { day: 'sun', label: 'Sun' },
];

/** Hours as typed ("1.5") from minutes; blank for no target. */
export function hoursOf(minutes: number | null | undefined): string {
  return minutes == null ? '' : String(Math.round((minutes / 60) * 100) / 100);
}

/** Minutes from hours as typed; null for blank (no target). */
export function minutesOf(hours: string): number | null {
  return hours.trim() === '' ? null : Math.round(Number(hours) * 60);
}

/** Admins: the targets per priority and each team's working hours they count in. */
export function SlaSettings() {
  return (
    <section aria-labelledby="sla-settings-heading" className="card form">
      <h2 id="sla-settings-heading">Service levels</h2>
      <p className="muted">
        Targets are hours (h) of business time: a team&apos;s working hours, less its
        holidays, or every hour for a team without a calendar. Leave a target blank for none.
      </p>
      <TargetsTable />
      <Calendars />
    </section>
  );
}

function TargetsTable() {
  const targets = useSlaTargets();
  if (targets.isPending) return <Loading label="Loading the targets…" />;
  if (targets.isError)
    return <ErrorAlert error={targets.error} onRetry={() => void targets.refetch()} />;
  return (
    <div className="sla-targets">
      {targets.data.map((row) => (
        <TargetsRow key={row.priority} row={row} />
      ))}
    </div>
  );
}

function TargetsRow({ row }: { row: SlaTargets }) {
  const save = useSetSlaTargets(row.priority);
  const [hours, setHours] = useState<Record<TargetField, string>>({
    first_response_minutes: hoursOf(row.first_response_minutes),
    next_response_minutes: hoursOf(row.next_response_minutes),
    resolution_minutes: hoursOf(row.resolution_minutes),
  });
  const fieldErrors = save.error instanceof ProblemError ? save.error.fieldErrors : {};
  const name = row.priority.charAt(0).toUpperCase() + row.priority.slice(1);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      first_response_minutes: minutesOf(hours.first_response_minutes),
      next_response_minutes: minutesOf(hours.next_response_minutes),
      resolution_minutes: minutesOf(hours.resolution_minutes),
    });
  }

  return (
    <form className="sla-targets__row" onSubmit={submit} aria-label={`${name} targets`}>
      <strong className="sla-targets__priority">{name}</strong>
      {TARGETS.map(({ field, label }) => (
        <div className="field" key={field}>
          <label htmlFor={`${row.priority}-${field}`}>{label} (h)</label>
          <input
            id={`${row.priority}-${field}`}
            type="number"
            min="0"
            step="any"
            value={hours[field]}
            aria-describedby={`${row.priority}-${field}-error`}
            onChange={(event) => setHours((now) => ({ ...now, [field]: event.target.value }))}
          />
          <FieldError id={`${row.priority}-${field}-error`} messages={fieldErrors[field]} />
        </div>
      ))}
      <div className="sla-targets__save">
        <button type="submit" className="button" disabled={save.isPending}>
          Save
        </button>
        {save.isSuccess && <span role="status">Saved</span>}
      </div>
      {save.isError && Object.keys(fieldErrors).length === 0 && (
        <div className="sla-targets__wide">
          <ErrorAlert error={save.error} />
        </div>
      )}
    </form>
  );
}

function Calendars() {
  const calendars = useSlaCalendars();
  const teams = useTeams();
  if (calendars.isPending || teams.isPending) return <Loading label="Loading the calendars…" />;
  if (calendars.isError)
    return <ErrorAlert error={calendars.error} onRetry={() => void calendars.refetch()} />;
  if (teams.isError) return <ErrorAlert error={teams.error} onRetry={() => void teams.refetch()} />;
  return (
    <ul className="staff-list" aria-label="Team calendars">
      {teams.data.map((team) => (
        <CalendarRow
          key={team.id}
          team={team}
          calendar={calendars.data.find((found) => found.team === team.id)}
        />
      ))}
    </ul>
  );
}

function summary(calendar: SlaCalendar | undefined): string {
  if (!calendar) return 'Every hour counts (24/7)';
  const days = WEEKDAYS.filter(({ day }) => calendar.hours[day]);
  const first = days[0] ? calendar.hours[days[0].day] : undefined;
  const hours = first ? `${first.start}–${first.end}` : '';
  const country = calendar.country ? `, ${calendar.country} holidays` : '';
  return `${days.map(({ label }) => label).join(' ')} ${hours}, ${calendar.timezone}${country}`;
}

function CalendarRow({ team, calendar }: { team: TeamInfo; calendar: SlaCalendar | undefined }) {
  const [editing, setEditing] = useState(false);
  const remove = useDeleteSlaCalendar(team.id);
  return (
    <li className="staff-list__item">
      <div className="staff-list__who">
        <strong dir="auto">{team.name}</strong> <span className="muted">{summary(calendar)}</span>
      </div>
      <div className="sla-calendar__actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setEditing(!editing)}
        >
          {editing ? 'Close' : 'Working hours'}
        </button>
        {calendar && (
          <button
            type="button"
            className="button button--secondary"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Count every hour
          </button>
        )}
      </div>
      {remove.isError && <ErrorAlert error={remove.error} />}
      {editing && <CalendarForm team={team} calendar={calendar} onSaved={() => setEditing(false)} />}
    </li>
  );
}

function CalendarForm({
  team,
  calendar,
  onSaved,
}: {
  team: TeamInfo;
  calendar: SlaCalendar | undefined;
  onSaved: () => void;
}) {
  const save = useSetSlaCalendar(team.id);
  const first = calendar ? WEEKDAYS.find(({ day }) => calendar.hours[day]) : undefined;
  const firstHours = first && calendar ? calendar.hours[first.day] : undefined;
  const [timezone, setTimezone] = useState<string>(calendar?.timezone ?? 'UTC');
  const [country, setCountry] = useState<string>(calendar?.country ?? '');
  const [days, setDays] = useState<Weekday[]>(
    calendar
      ? WEEKDAYS.filter(({ day }) => calendar.hours[day]).map(({ day }) => day)
      : ['mon', 'tue', 'wed', 'thu', 'fri'],
  );
  const [start, setStart] = useState(firstHours?.start ?? '09:00');
  const [end, setEnd] = useState(firstHours?.end ?? '17:00');
  const [holidays, setHolidays] = useState((calendar?.holidays ?? []).join('\n'));
  const fieldErrors = save.error instanceof ProblemError ? save.error.fieldErrors : {};
  const id = (field: string) => `calendar-${team.id}-${field}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    // As typed: the server checks zone and country against the lists it knows, naming the
    // field when one is not there.
    const typedCountry = country.trim().toUpperCase();
    save.mutate(
      {
        timezone: timezone.trim() as SlaCalendarIn['timezone'],
        country: typedCountry ? (typedCountry as SlaCalendarIn['country']) : null,
        hours: Object.fromEntries(days.map((day) => [day, { start, end }])),
        holidays: holidays.split(/[\s,]+/).filter(Boolean),
      },
      { onSuccess: onSaved },
    );
  }

  return (
    <form className="form" onSubmit={submit} aria-label={`${team.name} working hours`}>
      <div className="form__row">
        <div className="field">
          <label htmlFor={id('timezone')}>Time zone</label>
          <input
            id={id('timezone')}
            required
            value={timezone}
            placeholder="Europe/Berlin"
            aria-describedby={id('timezone-error')}
            onChange={(event) => setTimezone(event.target.value)}
          />
          <FieldError id={id('timezone-error')} messages={messagesFor(fieldErrors, 'timezone')} />
        </div>
        <div className="field">
          <label htmlFor={id('country')}>Public holidays of (country code)</label>
          <input
            id={id('country')}
            value={country}
            placeholder="DE"
            maxLength={8}
            aria-describedby={id('country-error')}
            onChange={(event) => setCountry(event.target.value)}
          />
          <FieldError id={id('country-error')} messages={messagesFor(fieldErrors, 'country')} />
        </div>
        <div className="field">
          <label htmlFor={id('start')}>From</label>
          <input
            id={id('start')}
            type="time"
            required
            value={start}
            onChange={(event) => setStart(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('end')}>To</label>
          <input
            id={id('end')}
            type="time"
            required
            value={end}
            onChange={(event) => setEnd(event.target.value)}
          />
        </div>
      </div>
      <fieldset className="chips">
        <legend className="chips__legend">Working days (the same hours each)</legend>
        <div className="chips__options">
          {WEEKDAYS.map(({ day, label }) => (
            <label key={day} className="chip">
              <input
                type="checkbox"
                checked={days.includes(day)}
                onChange={(event) =>
                  setDays((now) =>
                    event.target.checked ? [...now, day] : now.filter((d) => d !== day),
                  )
                }
              />
              <span>{label}</span>
            </label>
          ))}
        </div>
        <FieldError id={id('hours-error')} messages={messagesFor(fieldErrors, 'hours')} />
      </fieldset>
      <div className="field">
        <label htmlFor={id('holidays')}>Other days off (YYYY-MM-DD, one a line)</label>
        <textarea
          id={id('holidays')}
          rows={3}
          value={holidays}
          aria-describedby={id('holidays-error')}
          onChange={(event) => setHolidays(event.target.value)}
        />
        <FieldError id={id('holidays-error')} messages={messagesFor(fieldErrors, 'holidays')} />
      </div>
      {save.isError && Object.keys(fieldErrors).length === 0 && <ErrorAlert error={save.error} />}
      <div className="form__actions">
        <button type="submit" className="button" disabled={save.isPending}>
          Save working hours
        </button>
      </div>
    </form>
  );
}

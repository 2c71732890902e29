import { Link } from 'react-router';

type StatCardProps = {
  label: string;
  value: string;
  hint?: string;
  /** The list of the tickets this figure counts. */
  to?: string;
  /** The figure the others break down, drawn first among equals. */
  lead?: boolean;
};

export function StatCard({ label, value, hint, to, lead = false }: StatCardProps) {
  const classes = ['card', 'stat', to && 'stat--link', lead && 'stat--lead'].filter(Boolean);
  return (
    <div className={classes.join(' ')}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">
        {to ? (
          <Link to={to} className="stat__link" aria-label={`${label}: ${value}`}>
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
      {hint && <dd className="stat__hint">{hint}</dd>}
    </div>
  );
}

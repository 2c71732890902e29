export type FieldErrors = Record<string, string[]>;

/** The messages for a field and the fields within it ("hours" holds "hours.mon.start"). */
export function messagesFor(errors: FieldErrors, field: string): string[] | undefined {
  const found = Object.entries(errors)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
  return found.length ? found : undefined;
}

/** An RFC 9457 problem+json response, or a non-JSON failure mapped onto the same shape. */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldErrors;
  /** From Retry-After, on a 429. */
  retryAfterSeconds: number | undefined;

  constructor(status: number, title: string, detail?: string, fieldErrors: FieldErrors = {}) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ProblemError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
  }
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
};

/** The session's CSRF token: the server set it in a cookie scripts may read (a page of
 * another site can neither read it nor send it), and wants it back on every write. */
export const CSRF_COOKIE = 'sd_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

let onUnauthorized: () => void = () => {};

/** What to do when the server says the session ended (401): the app sends people to
 * sign in. Answers of /api/auth/* are left to their own forms. */
export function configureApiClient(options: { onUnauthorized: () => void }) {
  onUnauthorized = options.onUnauthorized;
}

export function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return found === undefined ? undefined : decodeURIComponent(found.slice(prefix.length));
}

export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = method === 'GET' ? undefined : readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;

  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthorized();
  if (!response.ok) {
    const error = await toProblemError(response);
    const retryAfter = Number(response.headers.get('Retry-After'));
    if (retryAfter > 0) error.retryAfterSeconds = retryAfter;
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function toProblemError(response: Response): Promise<ProblemError> {
  const fallbackTitle = response.statusText || `Request failed (${response.status})`;
  if (!response.headers.get('Content-Type')?.includes('json')) {
    return new ProblemError(response.status, fallbackTitle);
  }
  try {
    const problem = (await response.json()) as {
      title?: string;
      detail?: string;
      errors?: FieldErrors;
    };
    return new ProblemError(
      response.status,
      problem.title ?? fallbackTitle,
      problem.detail,
      problem.errors ?? {},
    );
  } catch {
    return new ProblemError(response.status, fallbackTitle);
  }
}

export function toSearchParams(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `?${query}` : '';
}

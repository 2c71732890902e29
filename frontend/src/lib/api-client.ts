export type FieldErrors = Record<string, string[]>;

/** An RFC 9457 problem+json response, or a non-JSON failure mapped onto the same shape. */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldErrors;

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
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH';
  body?: unknown;
  signal?: AbortSignal;
};

export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await toProblemError(response);
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

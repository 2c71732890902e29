import { jsonResponse, mockFetch, problemResponse } from '@/testing/mock-fetch';
import { apiFetch, ProblemError, toSearchParams } from './api-client';

describe('apiFetch', () => {
  it('sends JSON and returns the parsed body', async () => {
    const { calls } = mockFetch({ 'POST /api/things': () => jsonResponse({ id: 1 }, 201) });
    await expect(apiFetch('/api/things', { method: 'POST', body: { a: 1 } })).resolves.toEqual({
      id: 1,
    });
    expect(calls[0]?.body).toEqual({ a: 1 });
  });

  it('turns a problem+json response into a ProblemError with the field messages', async () => {
    mockFetch({
      'POST /api/things': () =>
        problemResponse(422, 'Validation failed', { errors: { title: ['must not be blank'] } }),
    });
    const error = await apiFetch('/api/things', { method: 'POST', body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({
      status: 422,
      title: 'Validation failed',
      fieldErrors: { title: ['must not be blank'] },
    });
  });

  it('still fails cleanly when the error body is not JSON', async () => {
    mockFetch({
      'GET /api/things': () =>
        new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    });
    await expect(apiFetch('/api/things')).rejects.toMatchObject({
      status: 502,
      title: 'Bad Gateway',
    });
  });
});

it('toSearchParams leaves out empty values', () => {
  expect(toSearchParams({ page: 1, search: '', status: undefined, category: 'a,b' })).toBe(
    '?page=1&category=a%2Cb',
  );
  expect(toSearchParams({ search: '' })).toBe('');
});

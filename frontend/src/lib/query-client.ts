import { QueryClient } from '@tanstack/react-query';
import { ProblemError } from './api-client';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not fix itself; retrying only delays the error message.
        retry: (failureCount, error) =>
          !(error instanceof ProblemError && error.status < 500) && failureCount < 2,
      },
    },
  });
}

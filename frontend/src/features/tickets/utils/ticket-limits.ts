// The server's limits for a new ticket (its request schema), kept here alone so they can be
// taken from the generated API types instead.
export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 20_000;
// What it stores about the suggestion; a longer text would fail the whole submission over a
// field the user never sees.
export const AI_REASONING_MAX_LENGTH = 1000;
export const AI_PROVIDER_MAX_LENGTH = 64;

const countFormat = new Intl.NumberFormat('en');

export function formatCount(count: number): string {
  return countFormat.format(count);
}

/**
 * "25,000 / 20,000 characters – shorten by 5,000" for a text past its limit, else null. The
 * fields take a longer paste whole rather than cutting it silently; this says what to do.
 */
export function tooLongMessage(length: number, max: number): string | null {
  if (length <= max) return null;
  const over = formatCount(length - max);
  return `${formatCount(length)} / ${formatCount(max)} characters – shorten by ${over}`;
}

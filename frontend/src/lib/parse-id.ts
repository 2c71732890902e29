/** The largest id the database holds (a 32-bit integer column). */
const MAX_ID = 2_147_483_647;

/** A route's `:id` as a database id: "12" → 12; "abc", "0", "007" or too large → null. */
export function parseId(raw: string | undefined): number | null {
  if (!/^[1-9]\d*$/.test(raw ?? '')) return null;
  const id = Number(raw);
  return id <= MAX_ID ? id : null;
}

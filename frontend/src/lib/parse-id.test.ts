import { parseId } from './parse-id';

it('reads a database id and refuses anything else', () => {
  expect(parseId('12')).toBe(12);
  expect(parseId('2147483647')).toBe(2147483647);
  for (const raw of ['2147483648', '99999999999999999999', '0', '007', '-1', '1.5', 'abc', '']) {
    expect(parseId(raw)).toBeNull();
  }
  expect(parseId(undefined)).toBeNull();
});

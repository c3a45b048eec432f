import { createRedactor } from './createRedactor';

describe('createRedactor', () => {
  it('removes every secret, the longer first, and ignores missing ones', () => {
    const redact = createRedactor(['abc', 'abcdef', undefined, '']);
    expect(redact('x abcdef y abc z')).toBe('x [redacted] y [redacted] z');
  });

  it('shortens long texts', () => {
    expect(createRedactor([])('a'.repeat(400))).toBe(`${'a'.repeat(300)}…`);
  });
});

import { describe, expect, it } from 'vitest';
import { createMasker, MASK } from '../../src/core/mask.js';

describe('createMasker', () => {
  it('replaces every occurrence of each secret, longest first', () => {
    const mask = createMasker(['s3cr3t-token', 's3cr3t-token-extended']);
    expect(mask('a s3cr3t-token-extended b s3cr3t-token c')).toBe(`a ${MASK} b ${MASK} c`);
  });
  it('masks the JSON-escaped form of a secret', () => {
    const mask = createMasker(['pa"ss\\word']);
    expect(mask(JSON.stringify({ p: 'pa"ss\\word' }))).toBe(`{"p":"${MASK}"}`);
  });
  it('treats regex metacharacters literally and ignores very short values', () => {
    const mask = createMasker(['a.b*c+', 'ab']);
    expect(mask('xa.b*c+y ab axbbc')).toBe(`x${MASK}y ab axbbc`);
  });
});

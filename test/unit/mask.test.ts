import { describe, expect, it } from 'vitest';
import { createMasker, MASK, MIN_SEARCHED_SECRET_LENGTH } from '../../src/core/mask.js';

describe('createMasker', () => {
  it('replaces every occurrence of each secret, longest first', () => {
    const mask = createMasker(['s3cr3t-token', 's3cr3t-token-extended']);
    expect(mask('a s3cr3t-token-extended b s3cr3t-token c')).toBe(`a ${MASK} b ${MASK} c`);
  });
  it('masks the JSON-escaped form of a secret', () => {
    const mask = createMasker(['pa"ss\\word']);
    expect(mask(JSON.stringify({ p: 'pa"ss\\word' }))).toBe(`{"p":"${MASK}"}`);
  });
  it('treats regex metacharacters literally', () => {
    const mask = createMasker(['a.b*c+d?']);
    expect(mask('xa.b*c+d?y axbbcdd')).toBe(`x${MASK}y axbbcdd`);
  });
  it(`never searches for values shorter than ${MIN_SEARCHED_SECRET_LENGTH} characters (they are masked by path only)`, () => {
    // A Generic messenger header `X-Env: prod` once turned every "prod" of a plan into the mask, keys included.
    const mask = createMasker(['prod', 'eu-west', '600']);
    expect(mask('t-products in eu-west for 600 s')).toBe('t-products in eu-west for 600 s');
    expect(createMasker(['12345678'])('id 12345678')).toBe(`id ${MASK}`);
  });
});

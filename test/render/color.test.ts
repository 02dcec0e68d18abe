import { describe, expect, it } from 'vitest';
import { ansiColor, noColor, paletteFor, shouldUseColor } from '../../src/render/color.js';

describe('palettes', () => {
  it('noColor is the identity and ansiColor wraps in SGR escapes', () => {
    expect(noColor.red('x')).toBe('x');
    expect(ansiColor.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(ansiColor.bold('')).toBe('');
    expect(paletteFor(false)).toBe(noColor);
    expect(paletteFor(true)).toBe(ansiColor);
  });
});

describe('shouldUseColor', () => {
  it.each([
    [{ isTTY: true, env: {} }, true],
    [{ isTTY: false, env: {} }, false],
    [{ isTTY: true, env: {}, noColorFlag: true }, false],
    [{ isTTY: true, env: { NO_COLOR: '1' } }, false],
    [{ isTTY: true, env: { NO_COLOR: '' } }, true],
    [{ isTTY: true, env: { TERM: 'dumb' } }, false],
    [{ isTTY: false, env: { FORCE_COLOR: '1' } }, true],
    [{ isTTY: true, env: { FORCE_COLOR: '0' } }, false],
    [{ isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, false],
  ])('%j → %s', (ctx, expected) => {
    expect(shouldUseColor(ctx)).toBe(expected);
  });
});

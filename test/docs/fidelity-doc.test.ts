/**
 * docs/emulator-fidelity.md tells users how far to trust the emulator, and each of its rows names the test file that
 * shows the behaviour. This keeps the page honest as the tests move: every cited `*.test.ts` file must exist (a bare
 * name is in test/emulator/, a name with a slash is relative to the repository; a `*` must match at least one file),
 * and no row may still carry a "LEAD" marker or a branch name (`h/…`), which flagged rows written while their work was
 * on another branch. Every table row also keeps its header's number of cells (a `|` inside code splits a cell in
 * GitHub's tables, shifting the evidence into the test column).
 */
import { readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFileBoundedSync } from '../../src/io/files.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = 'docs/emulator-fidelity.md';
/** The page is a few hundred lines; anything past 1 MB is not this page. */
const MAX_DOC_BYTES = 1024 * 1024;

/** Every backticked test file name the page cites, as a repository-relative path (pattern). */
function citedTestFiles(markdown: string): string[] {
  const names = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\s]+\.test\.ts)`/g)) {
    const name = m[1] as string;
    names.add(name.includes('/') ? name : `test/emulator/${name}`);
  }
  return [...names].sort();
}

/** Whether a cited path (a `*` in its last segment matches any run of characters) names at least one existing file. */
function exists(root: string, cited: string): boolean {
  const dir = posix.dirname(cited);
  const base = posix.basename(cited);
  let entries: string[];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return false;
  }
  const re = new RegExp(`^${base.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return entries.some((e) => re.test(e));
}

/** The cited test files that do not exist under `root`. */
function missingTestFiles(markdown: string, root: string): string[] {
  return citedTestFiles(markdown).filter((f) => !exists(root, f));
}

/** Lines still carrying a work-in-progress marker: the word LEAD, or a branch name such as `h/emu-users`. */
function leftoverMarkers(markdown: string): string[] {
  return markdown.split('\n').flatMap((line, i) => (/\bLEAD\b|(^|[\s(`])h\/[a-z][\w-]*/.test(line) ? [`${DOC}:${i + 1}: ${line.trim().slice(0, 80)}`] : []));
}

/** Table rows whose number of cells differs from their table's header row. */
function misshapenRows(markdown: string): string[] {
  const out: string[] = [];
  let header: number | undefined;
  markdown.split('\n').forEach((line, i) => {
    if (!line.startsWith('|')) {
      header = undefined;
      return;
    }
    const cells = line.split(/(?<!\\)\|/).length - 2;
    if (header === undefined) header = cells;
    else if (cells !== header) out.push(`${DOC}:${i + 1}: ${cells} cells, the header has ${header}`);
  });
  return out;
}

describe('the checks themselves', () => {
  it('resolve bare names to test/emulator/, keep paths, and report a name that does not exist', () => {
    const md = 'a `crud.test.ts` b `test/users/story.test.ts` c `gone.test.ts` d `test/emulator/fidelity*.test.ts` e `test/nowhere/x*.test.ts`';
    expect(citedTestFiles(md)).toEqual(['test/emulator/crud.test.ts', 'test/emulator/fidelity*.test.ts', 'test/emulator/gone.test.ts', 'test/nowhere/x*.test.ts', 'test/users/story.test.ts']);
    expect(missingTestFiles(md, ROOT)).toEqual(['test/emulator/gone.test.ts', 'test/nowhere/x*.test.ts']);
  });
  it('find a row with a pipe inside code, which splits its cell', () => {
    expect(misshapenRows('| a | b |\n|---|---|\n| `GET|POST` | x |\n| ok \\| escaped | y |\n\n| one |\n')).toEqual([`${DOC}:3: 3 cells, the header has 2`]);
  });
  it('find a LEAD marker and a branch name, not ordinary words', () => {
    expect(leftoverMarkers('| row | Live | **LEAD**: x |\nleading text, h/2 ratio\nsee (h/emu-users)\n')).toEqual([
      `${DOC}:1: | row | Live | **LEAD**: x |`,
      `${DOC}:3: see (h/emu-users)`,
    ]);
  });
});

describe(DOC, () => {
  const markdown = readFileBoundedSync(join(ROOT, DOC), MAX_DOC_BYTES).toString('utf8');

  it('cites test files, and every one exists', () => {
    expect(citedTestFiles(markdown).length).toBeGreaterThan(20);
    expect(missingTestFiles(markdown, ROOT)).toEqual([]);
  });
  it('keeps every table row to its header\'s cells', () => {
    expect(misshapenRows(markdown)).toEqual([]);
  });
  it('has no LEAD marker or branch name left', () => {
    expect(leftoverMarkers(markdown)).toEqual([]);
  });
});

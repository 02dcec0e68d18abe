/**
 * The layers of src/, checked on the import graph itself (every `import … from`, `export … from` and `import('…')` of
 * a relative module): each folder may import only the folders below it, and no import closes a circle. A kind-specific
 * branch in a generic module usually starts as an import that runs back up; this test stops it there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** What each layer may import besides itself (layers are the folders of src/, and the top-level files). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  io: [],
  render: ['core'],
  fusionauth: ['core', 'io'],
  kinds: ['core', 'fusionauth'],
  config: ['core', 'io', 'kinds'],
  state: ['core', 'fusionauth', 'kinds'],
  apply: ['core', 'fusionauth', 'kinds'],
  // The emulator shares only FusionAuth's wire facts with the reconciler, so that it stays an independent oracle.
  emulator: ['core', 'io', 'fusionauth/wire.ts'],
  'engine.ts': ['core', 'config', 'kinds', 'state', 'apply', 'fusionauth'],
  cli: ['*'],
  'index.ts': ['*'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** `core`, `emulator`, `engine.ts`: the layer of a file of src/. */
const layerOf = (file: string): string => relative(SRC, file).split('/')[0]!;

/** The relative modules a file imports, as files of src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/\bfrom\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);
  // Modules of src/ only (package.json and the schema file are data).
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts')).filter((f) => f.startsWith(SRC) && f.endsWith('.ts'));
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Whether `from` may import `to` under ALLOWED. */
function allowed(from: string, to: string): boolean {
  const a = layerOf(from), b = layerOf(to);
  if (a === b) return true;
  const rule = ALLOWED[a];
  if (!rule) return false;
  return rule.includes('*') || rule.includes(b) || rule.includes(relative(SRC, to));
}

/** The import circles: strongly connected components of more than one file (Tarjan). */
function circles(): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(relative(SRC, w));
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return out;
}

describe('the layers of src/', () => {
  it('every layer is known (a new folder must say what it may import)', () => {
    expect([...new Set(files.map(layerOf))].filter((l) => !ALLOWED[l])).toEqual([]);
  });

  it('no import runs against the layers: core imports nothing outside it, render and the emulator never import kinds', () => {
    const wrong: string[] = [];
    for (const [from, tos] of graph) {
      for (const to of tos) if (!allowed(from, to)) wrong.push(`${relative(SRC, from)} -> ${relative(SRC, to)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('no import circle', () => {
    expect(circles()).toEqual([]);
  });

  it('the checks see imports (a sanity check of the parser on known edges)', () => {
    expect(graph.get(join(SRC, 'engine.ts'))).toContain(join(SRC, 'core/plan.ts'));
    expect(graph.get(join(SRC, 'cli/commands/plan.ts'))).toContain(join(SRC, 'engine.ts'));
  });
});

/**
 * What the npm package promises its users: its name (not `kickstand`, which npm gives to an unrelated package), a
 * LICENSE that is the license package.json declares, the schema and the compiled CLI in the published files, and
 * install instructions in the README that use the package's own name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string; license: string; files: string[]; bin: Record<string, string>; exports: Record<string, unknown>;
};
const readme = readFileSync('README.md', 'utf8');

describe('the package', () => {
  it('is kickstand-cli, with the kickstand command', () => {
    expect(pkg.name).toBe('kickstand-cli');
    expect(Object.keys(pkg.bin)).toEqual(['kickstand']);
  });

  it('ships a LICENSE with the text of the license package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const license = readFileSync('LICENSE', 'utf8');
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  it('publishes the compiled code and the schema, and exports the schema at a stable path', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'schema']));
    expect(pkg.exports['./schema/kickstand.schema.json']).toBe('./schema/kickstand.schema.json');
  });

  it('the README installs and runs the package by its own name, never the unrelated `kickstand` package', () => {
    expect(readme).toContain('npm i -D kickstand-cli');
    expect(readme).toContain('npx kickstand-cli');
    expect(readme).not.toMatch(/npm i(nstall)? (-D |--save-dev )?kickstand(?!-cli)/);
    expect(readme).not.toContain('node_modules/kickstand/');
  });
});

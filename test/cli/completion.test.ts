/**
 * `kickstand completion bash|zsh|fish` and `kickstand version`. The scripts are generated from the commander program,
 * so every command and flag the CLI has must appear in each; each script must be valid for its shell (checked with
 * the shell itself when it is installed — `bash -n`, `zsh -n`, `fish -n` — and structurally otherwise), and bash and
 * fish are asked for real completions.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionScript, SHELLS } from '../../src/cli/completion.js';
import { buildProgram } from '../../src/cli/program.js';
import { runInProcess, tmpDir } from '../hardening/helpers.js';

/** Whether a shell is installed (`<shell> -c true` runs). */
function installed(shell: string): boolean {
  return spawnSync(shell, ['-c', 'true'], { stdio: 'ignore' }).status === 0;
}

/** Write a script and run `<shell> -n` on it: the shell's own syntax check. */
function syntaxCheck(shell: string, script: string): { status: number | null; stderr: string } {
  const file = join(tmpDir(), `completion.${shell}`);
  writeFileSync(file, script);
  const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** Every command of the program with every spelling of each of its options (help included). */
function everything(program: Command): Array<{ command: string; flags: string[] }> {
  const help = program.createHelp();
  return help.visibleCommands(program).map((c) => ({
    command: c.name(),
    flags: c.createHelp().visibleOptions(c).flatMap((o) => [o.short, o.long].filter((s): s is string => s !== undefined)),
  }));
}

describe('kickstand completion', () => {
  for (const shell of SHELLS) {
    it(`${shell}: printed to stdout, names every command and every flag`, async () => {
      const r = await runInProcess(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const all = everything(buildProgram());
      expect(all.map((c) => c.command)).toEqual(expect.arrayContaining(['validate', 'plan', 'apply', 'ping', 'emulator', 'schema', 'completion', 'version']));
      for (const { command, flags } of all) {
        expect(r.stdout).toContain(command);
        for (const flag of flags) {
          // fish spells flags without their dashes (`-l wait-for-server`, `-s f`).
          const spelled = shell === 'fish' ? (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`) : flag;
          expect(r.stdout, `${command} ${flag}`).toContain(spelled);
        }
      }
    });
  }

  it('is refused for a shell it does not know', async () => {
    const r = await runInProcess(['completion', 'powershell']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'powershell' is invalid .*bash, zsh, fish/);
  });

  it('bash: valid (bash -n), and completes commands, flags, choices and files', () => {
    const script = completionScript(buildProgram(), 'bash');
    expect(syntaxCheck('bash', script)).toEqual({ status: 0, stderr: '' });
    const dir = tmpDir();
    writeFileSync(join(dir, 'kickstand.yaml'), '');
    const complete = (...words: string[]): string[] => {
      const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _kickstand; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', ...words], { encoding: 'utf8', cwd: dir });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter((l) => l !== '');
    };
    expect(complete('kickstand', 'pl')).toEqual(['plan']);
    expect(complete('kickstand', 'plan', '--format', '')).toEqual(['human', 'json', 'markdown']);
    expect(complete('kickstand', 'apply', '--wait')).toEqual(['--wait-for-server']);
    expect(complete('kickstand', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(complete('kickstand', 'validate', 'kick')).toEqual(['kickstand.yaml']);
    expect(complete('kickstand', 'plan', '--var-file', 'kick')).toEqual(['kickstand.yaml']);
    expect(complete('kickstand', '--v')).toEqual(['--version']);
  });

  it('zsh: valid (zsh -n when installed; otherwise its structure)', () => {
    const script = completionScript(buildProgram(), 'zsh');
    expect(script.startsWith('#compdef kickstand\n')).toBe(true);
    for (const { command } of everything(buildProgram())) {
      expect(script).toContain(`    '${command}:`);
      expect(script).toContain(`        ${command})\n          _arguments -s \\`);
    }
    if (installed('zsh')) expect(syntaxCheck('zsh', script)).toEqual({ status: 0, stderr: '' });
    else expect(balanced(script)).toBe(true);
  });

  it('fish: valid (fish -n when installed, and its completions; otherwise its structure)', () => {
    const script = completionScript(buildProgram(), 'fish');
    for (const line of script.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^(#|complete -c kickstand )/);
    if (!installed('fish')) {
      expect(balanced(script)).toBe(true);
      return;
    }
    expect(syntaxCheck('fish', script)).toEqual({ status: 0, stderr: '' });
    const file = join(tmpDir(), 'kickstand.fish');
    writeFileSync(file, script);
    const complete = (line: string): string[] =>
      spawnSync('fish', ['-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
    expect(complete('kickstand pi')).toEqual(['ping']);
    expect(complete('kickstand plan --format ')).toEqual(['human', 'json', 'markdown']);
    expect(complete('kickstand ping --wait')).toEqual(['--wait-for-server']);
  });

  it('quotes descriptions for each shell: quotes, brackets, backslashes and $(…) stay text', () => {
    const program = new Command('kickstand');
    program
      .command('odd')
      .description(`it's [odd] \\ $(touch /tmp/kickstand-pwned) \`x\` "q"`)
      .addOption(new Option('--mode <mode>', `a 'mode' [x] \\ $(touch /tmp/kickstand-pwned)`).choices(['a', 'b']))
      .option('--path <path>', 'a file');
    for (const shell of SHELLS) {
      const script = completionScript(program, shell);
      if (shell === 'bash' || installed(shell)) expect(syntaxCheck(shell, script), shell).toEqual({ status: 0, stderr: '' });
      else expect(balanced(script), shell).toBe(true);
    }
    if (installed('fish')) {
      const file = join(tmpDir(), 'odd.fish');
      writeFileSync(file, completionScript(program, 'fish'));
      const r = spawnSync('fish', ['-c', `source ${file}; complete -C 'kickstand '`], { encoding: 'utf8' });
      expect(r.stdout).toContain(`odd\tit's [odd] \\ $(touch /tmp/kickstand-pwned) \`x\` "q"`);
    }
  });
});

/**
 * A structural check for a shell that is not installed: single quotes pair up on every line once the escapes the
 * generator writes (`'\''` in zsh, `\'` in fish) are removed.
 */
function balanced(script: string): boolean {
  return script.split('\n').every((line) => {
    if (line.startsWith('#')) return true;
    const stripped = line.replace(/'\\''/g, '').replace(/\\\\/g, '').replace(/\\'/g, '');
    return (stripped.match(/'/g) ?? []).length % 2 === 0;
  });
}

describe('kickstand version', () => {
  it('prints the same version as --version, with Node.js and the platform; --format json has the fields', async () => {
    const flag = await runInProcess(['--version']);
    const version = flag.stdout.trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const human = await runInProcess(['version']);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`kickstand ${version} (Node.js ${process.version}, ${process.platform} ${process.arch})\n`);
    const json = await runInProcess(['version', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ version, node: process.version, platform: process.platform, arch: process.arch });
  });
});

/** `kickstand completion <shell>`: print a completion script for bash, zsh or fish, generated from the CLI itself. */
import { Argument, type Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import { out } from '../output.js';

/** Register `completion` on the program. */
export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish) to stdout')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', `
Examples:
  $ source <(kickstand completion bash)                                  # this bash session
  $ kickstand completion bash > ~/.local/share/bash-completion/completions/kickstand
  $ kickstand completion zsh > "\${fpath[1]}/_kickstand"                  # then restart zsh
  $ kickstand completion fish > ~/.config/fish/completions/kickstand.fish`)
    .action((shell: Shell) => {
      out(completionScript(program, shell));
      process.exitCode = 0;
    });
}

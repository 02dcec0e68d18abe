/**
 * Shell completion scripts for bash, zsh and fish, generated from the commander program itself (its commands,
 * options, choices and arguments, as commander's help shows them), so that they list exactly what the CLI accepts and
 * never go stale. Only names kickstand defines reach the scripts; descriptions are quoted for each shell.
 */
import type { Argument, Command, Option } from 'commander';

/** The shells `kickstand completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** One of `SHELLS`. */
export type Shell = (typeof SHELLS)[number];

/** What a value (of an option or a positional argument) completes to. */
type ValueKind = { type: 'file' } | { type: 'dir' } | { type: 'choices'; values: string[] } | { type: 'free' };

/** An option as the scripts need it. */
interface FlagModel {
  short?: string;
  long?: string;
  description: string;
  /** Undefined for a flag without a value. */
  value?: ValueKind;
  /** The value's name in the help (`path` of `--file <path>`). */
  valueName?: string;
}

/** A command as the scripts need it. */
interface CommandModel {
  name: string;
  description: string;
  flags: FlagModel[];
  /** What positional arguments complete to; undefined when the command takes none. */
  positional?: ValueKind;
}

/** The program as the scripts need it. */
export interface CompletionModel {
  name: string;
  flags: FlagModel[];
  commands: CommandModel[];
}

/** Value names (`<path>`, `<dir>`) that complete to files or folders. */
const FILE_VALUES = new Set(['path', 'file', 'paths', 'files']);
const DIR_VALUES = new Set(['dir', 'folder']);

function valueKind(name: string, choices: readonly string[] | undefined): ValueKind {
  if (choices && choices.length > 0) return { type: 'choices', values: [...choices] };
  const n = name.toLowerCase();
  if (FILE_VALUES.has(n)) return { type: 'file' };
  if (DIR_VALUES.has(n)) return { type: 'dir' };
  return { type: 'free' };
}

function flagModel(o: Option): FlagModel {
  const f: FlagModel = { description: o.description };
  if (o.short) f.short = o.short;
  if (o.long) f.long = o.long;
  if (o.required || o.optional) {
    f.valueName = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? 'value';
    f.value = valueKind(f.valueName, o.argChoices);
  }
  return f;
}

function positionalModel(cmd: Command, args: readonly Argument[], commandNames: string[]): ValueKind | undefined {
  const a = args[0];
  if (!a) return undefined;
  // The implicit `help [command]` completes to the command names.
  if (cmd.name() === 'help') return { type: 'choices', values: commandNames };
  return valueKind(a.name(), a.argChoices);
}

/** Read the program's commands and options through commander's help (which includes the implicit ones). */
export function completionModel(program: Command): CompletionModel {
  const help = program.createHelp();
  const commands = help.visibleCommands(program);
  const commandNames = commands.map((c) => c.name());
  return {
    name: program.name(),
    flags: help.visibleOptions(program).map(flagModel),
    commands: commands.map((c) => {
      const h = c.createHelp();
      const positional = positionalModel(c, c.registeredArguments, commandNames);
      return {
        name: c.name(),
        description: c.description(),
        flags: h.visibleOptions(c).map(flagModel),
        ...(positional ? { positional } : {}),
      };
    }),
  };
}

/** Every spelling of a flag: `-f`, `--file`. */
function spellings(f: FlagModel): string[] {
  return [f.short, f.long].filter((s): s is string => s !== undefined);
}

/** The script for `shell`. */
export function completionScript(program: Command, shell: Shell): string {
  const model = completionModel(program);
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}

/** A shell function name made of the program's name (letters, digits, `_`). */
function fnName(model: CompletionModel): string {
  return `_${model.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Single-quoted for bash and zsh: `'` becomes `'\''`. */
function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** One line of text: descriptions are shown on one line by every shell. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function bashValueReply(v: ValueKind): string {
  switch (v.type) {
    case 'choices':
      return `mapfile -t COMPREPLY < <(compgen -W ${shQuote(v.values.join(' '))} -- "$cur")`;
    case 'file':
      return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")';
    case 'dir':
      return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")';
    default:
      return 'COMPREPLY=()';
  }
}

function bashScript(model: CompletionModel): string {
  const fn = fnName(model);
  const top = [...model.commands.map((c) => c.name), ...model.flags.flatMap(spellings)].join(' ');
  const cases = model.commands.map((c) => {
    const valued = c.flags.filter((f) => f.value !== undefined);
    const prevCases = valued.map((f) => `        ${spellings(f).join('|')}) ${bashValueReply(f.value!)}; return ;;`);
    const words = c.flags.flatMap(spellings).join(' ');
    const positional = c.positional ? bashValueReply(c.positional) : 'COMPREPLY=()';
    return [
      `    ${c.name})`,
      ...(prevCases.length > 0 ? ['      case "$prev" in', ...prevCases, '      esac'] : []),
      '      if [[ "$cur" == -* ]]; then',
      `        mapfile -t COMPREPLY < <(compgen -W ${shQuote(words)} -- "$cur")`,
      '      else',
      `        ${positional}`,
      '      fi',
      '      ;;',
    ].join('\n');
  });
  return `# ${model.name} completion for bash, generated by \`${model.name} completion bash\`.
# Load it in this shell:  source <(${model.name} completion bash)
# Or for every shell:     ${model.name} completion bash > ~/.local/share/bash-completion/completions/${model.name}
${fn}() {
  local cur prev cmd i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd" in
    "")
      mapfile -t COMPREPLY < <(compgen -W ${shQuote(top)} -- "$cur")
      ;;
${cases.join('\n')}
  esac
  return 0
}
complete -F ${fn} ${model.name}
`;
}

/** A description inside zsh's `_arguments` brackets: brackets and backslashes escaped, single-quote safe. */
function zshBracket(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/'/g, `'\\''`);
}

function zshAction(v: ValueKind): string {
  switch (v.type) {
    case 'choices':
      return `(${v.values.map((x) => x.replace(/[\\'() :]/g, (c) => (c === "'" ? `'\\''` : `\\${c}`))).join(' ')})`;
    case 'file':
      return '_files';
    case 'dir':
      return '_files -/';
    default:
      return ' ';
  }
}

function zshFlag(f: FlagModel): string {
  const names = spellings(f);
  const desc = `[${zshBracket(f.description)}]`;
  const value = f.value ? `:${(f.valueName ?? 'value').replace(/[^A-Za-z0-9_=-]/g, '_')}:${zshAction(f.value)}` : '';
  // A flag that takes a value may be given more than once (--var, -f); one without a value only once.
  const repeat = f.value ? '*' : '';
  // `(-h --help)`: once one spelling was given, neither is offered again (not for repeatable flags).
  if (names.length === 2) return `'${repeat || `(${names.join(' ')})`}'{${names.join(',')}}'${desc}${value}'`;
  return `'${repeat}${names[0]}${desc}${value}'`;
}

function zshScript(model: CompletionModel): string {
  const fn = fnName(model);
  const described = model.commands.map((c) => `    ${shQuote(`${c.name}:${oneLine(c.description)}`)}`).join('\n');
  const cases = model.commands.map((c) => {
    const specs = c.flags.map(zshFlag);
    if (c.positional) specs.push(`'*:argument:${zshAction(c.positional)}'`);
    return [`        ${c.name})`, `          _arguments -s \\`, ...specs.map((s) => `            ${s} \\`), '            && ret=0', '          ;;'].join('\n');
  });
  return `#compdef ${model.name}
# ${model.name} completion for zsh, generated by \`${model.name} completion zsh\`.
# Load it in this shell:  source <(${model.name} completion zsh)
# Or for every shell:     ${model.name} completion zsh > "\${fpath[1]}/_${model.name}"
${fn}() {
  local curcontext="$curcontext" state line ret=1
  local -a commands
  commands=(
${described}
  )
  _arguments -C \\
${model.flags.map((f) => `    ${zshFlag(f)} \\`).join('\n')}
    '1: :->command' \\
    '*:: :->argument' && ret=0
  case $state in
    command)
      _describe -t commands '${model.name} command' commands && ret=0
      ;;
    argument)
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
  return ret
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${model.name}
fi
`;
}

/** Single-quoted for fish: backslash and `'` escaped. */
function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishValue(v: ValueKind): string {
  switch (v.type) {
    case 'choices':
      return `-x -a ${fishQuote(v.values.join(' '))}`;
    case 'file':
      return '-r -F';
    case 'dir':
      return `-x -a '(__fish_complete_directories)'`;
    default:
      return '-x';
  }
}

function fishFlag(prefix: string, f: FlagModel): string {
  const parts = [prefix];
  if (f.short) parts.push(`-s ${f.short.replace(/^-/, '')}`);
  if (f.long) parts.push(`-l ${f.long.replace(/^--/, '')}`);
  if (f.value) parts.push(fishValue(f.value));
  parts.push(`-d ${fishQuote(oneLine(f.description))}`);
  return parts.join(' ');
}

function fishScript(model: CompletionModel): string {
  const c = `complete -c ${model.name}`;
  const names = model.commands.map((x) => x.name).join(' ');
  const lines = [
    `# ${model.name} completion for fish, generated by \`${model.name} completion fish\`.`,
    `# Load it in this shell:  ${model.name} completion fish | source`,
    `# Or for every shell:     ${model.name} completion fish > ~/.config/fish/completions/${model.name}.fish`,
    `${c} -f`,
    ...model.flags.map((f) => fishFlag(`${c} -n ${fishQuote(`not __fish_seen_subcommand_from ${names}`)}`, f)),
    ...model.commands.map((x) => `${c} -n ${fishQuote(`not __fish_seen_subcommand_from ${names}`)} -a ${x.name} -d ${fishQuote(oneLine(x.description))}`),
  ];
  for (const x of model.commands) {
    const when = `${c} -n ${fishQuote(`__fish_seen_subcommand_from ${x.name}`)}`;
    for (const f of x.flags) lines.push(fishFlag(when, f));
    if (x.positional?.type === 'file') lines.push(`${when} -F`);
    else if (x.positional?.type === 'dir') lines.push(`${when} -a '(__fish_complete_directories)'`);
    else if (x.positional?.type === 'choices') lines.push(`${when} -a ${fishQuote(x.positional.values.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

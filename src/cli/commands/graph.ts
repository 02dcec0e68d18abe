/**
 * `kickstand graph`: the configuration's dependency graph, offline, as a Mermaid flowchart — which tenant uses which
 * messenger and templates, which application belongs to which tenant, where each role is written, and the objects
 * the files refer to by id without declaring them (lambdas, themes, keys).
 */
import { Option, type Command } from 'commander';
import { diagnosticText } from '../../render/common.js';
import { addFileOptions, filesFrom, loadOptionsFrom, type FileFlags } from '../options.js';
import { err, printRendered, setSecrets } from '../output.js';

interface GraphFlags extends FileFlags {
  format: 'mermaid' | 'markdown';
}

/** Register `graph` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('graph')
    .description('print the configuration\'s dependency graph as a Mermaid flowchart (offline, no server needed)');
  addFileOptions(cmd)
    .addOption(new Option('--format <format>', 'mermaid: the diagram itself; markdown: in a ```mermaid block, as GitHub and GitLab draw it').choices(['mermaid', 'markdown']).default('mermaid'))
    .addHelpText(
      'after',
      `
Each entry is a node labelled "kind: key (name)". An arrow A --> B means a field of A holds B's id (written as B's key or
its UUID); a dotted arrow C -.-> P means C is written inside P (an application's role). An id that names no entry is
a node of its own with a dashed border (an object the files use but do not manage).

Examples:
  $ kickstand graph examples/phone-gating
  $ kickstand graph config/ --format markdown > graph.md`,
    )
    .action(async (paths: string[], flags: GraphFlags) => {
      // Loaded here, not at the top: the loader pulls in yaml, ajv and handlebars, which `--version` and `--help` never need.
      const [{ loadConfig }, { configGraph }, { KINDS }, { renderMermaid, mermaidTooLarge }] = await Promise.all([
        import('../../config/load.js'), import('../../core/graph.js'), import('../../kinds/index.js'), import('../../render/mermaid.js'),
      ]);
      const desired = await loadConfig(filesFrom(paths, flags), loadOptionsFrom(flags));
      setSecrets(desired.secrets);
      for (const d of desired.diagnostics) err(`${diagnosticText(d)}\n`);
      const graph = configGraph(desired, KINDS);
      const text = renderMermaid(graph);
      const tooLarge = mermaidTooLarge(text, graph);
      if (tooLarge) err(`warning: GitHub and GitLab will not draw this diagram with Mermaid's default limits: ${tooLarge}.\n`);
      printRendered('stdout', flags.format === 'markdown' ? `\`\`\`mermaid\n${text}\`\`\`\n` : text);
      process.exitCode = 0;
    });
}

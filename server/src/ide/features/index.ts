/**
 * Editor features of the analysis core: completion, hover, go to definition,
 * find references, document and workspace symbols, and the snippets behind
 * `snippets/nix.json`. Each takes a {@link FeatureContext} and returns plain
 * data (UTF-16 offsets in, {@link Range}s out); the LSP adapter converts.
 */
export type { FeatureContext, FileRange } from './context.js';
export { completion, type CompletionItem } from './completion.js';
export { hover, type Hover } from './hover.js';
export { definition, references } from './navigation.js';
export { documentSymbols, workspaceSymbols, type Symbol } from './symbols.js';
export {
  renderSnippets,
  snippetToPlainText,
  STATIC_ENV,
  vscodeSnippetFile,
  type RenderedSnippet,
  type SnippetEnv,
} from './snippets.js';

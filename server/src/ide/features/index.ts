/**
 * Editor features of the analysis core: completion, hover, go to definition,
 * find references, document and workspace symbols, and the snippets that
 * completion offers (their one source). Each takes a {@link FeatureContext} and returns plain
 * data (UTF-16 offsets in, {@link Range}s out); the LSP adapter converts.
 */
export type { FeatureContext, FileRange } from './context.js';
export { completion, type CompletionItem } from './completion.js';
export { hover, type Hover } from './hover.js';
export { lenses, type Lens } from './lens.js';
export { definition, references } from './navigation.js';
export { documentSymbols, workspaceSymbols, type Symbol } from './symbols.js';
export {
  renderSnippets,
  SNIPPET_PREFIXES,
  snippetToPlainText,
  specialArgsSnippet,
  type RenderedSnippet,
  type SnippetEnv,
  type SnippetPlace,
} from './snippets.js';

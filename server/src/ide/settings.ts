/**
 * The settings schema: one definition that the server reads, the manifest's
 * `contributes.configuration` is generated from (`npm run gen:manifest`), and
 * a test keeps the two in step. Each field is validated on its own: a bad value
 * is reported once and that field falls back to its default, the rest applies.
 */
import { DIAGNOSTIC_KINDS, type SeverityOverride } from './diagnostics/index.js';
import { DOCS_URL } from './meta.js';

export const SEVERITY_VALUES = ['off', 'hint', 'information', 'warning', 'error'] as const;

export interface Settings {
  /** Severity per diagnostic code; absent codes use their defaults. */
  diagnostics: Map<string, SeverityOverride>;
  /** Globs (relative to a workspace folder) of files and folders to leave out of the index. */
  exclude: string[];
}

export const DEFAULT_SETTINGS: Settings = { diagnostics: new Map(), exclude: [] };

interface PropertySchema {
  type: string;
  enum?: readonly string[];
  enumDescriptions?: string[];
  items?: { type: string };
  default: unknown;
  markdownDescription: string;
  scope?: string;
  order?: number;
}

/** The `contributes.configuration.properties` of the manifest. */
export function manifestProperties(): Record<string, PropertySchema> {
  const props: Record<string, PropertySchema> = {
    'nixpkgsInstances.exclude': {
      type: 'array',
      items: { type: 'string' },
      default: [],
      markdownDescription:
        'Glob patterns, relative to each workspace folder, of files and folders the index leaves out (for example `vendor/**` or `**/generated.nix`). `.git`, `node_modules` and `result` links into the Nix store are always skipped.',
      scope: 'resource',
      order: 1,
    },
    'nixpkgsInstances.trace.server': {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      default: 'off',
      markdownDescription: 'Traces the messages between VS Code and the Nixpkgs Instances language server (in its output channel).',
      scope: 'window',
      order: 99,
    },
  };
  for (const kind of DIAGNOSTIC_KINDS) {
    props[`nixpkgsInstances.diagnostics.${kind.code}`] = {
      type: 'string',
      enum: SEVERITY_VALUES,
      default: kind.defaultSeverity,
      markdownDescription: `Severity of [\`${kind.code}\`](${DOCS_URL}#${kind.code}): ${kind.title}. \`off\` hides it.`,
      scope: 'resource',
      order: 10,
    };
  }
  return props;
}

/**
 * Reads the `nixpkgsInstances` section as an LSP client sends it (`{ diagnostics: { code: level },
 * exclude: [...] }`). Returns the settings and one message per field that was ignored.
 */
export function parseSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const diagnostics = new Map<string, SeverityOverride>();
  let exclude: string[] = [];
  if (raw === null || raw === undefined) return { settings: { diagnostics, exclude }, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: { diagnostics, exclude }, problems: ['nixpkgsInstances: expected an object of settings; using defaults'] };
  }
  const section = raw as Record<string, unknown>;
  const diag = section['diagnostics'];
  if (diag !== undefined && diag !== null) {
    if (typeof diag !== 'object' || Array.isArray(diag)) {
      problems.push('nixpkgsInstances.diagnostics: expected an object of code: severity entries; ignored');
    } else {
      const codes = new Set<string>(DIAGNOSTIC_KINDS.map((k) => k.code));
      for (const [code, level] of Object.entries(diag as Record<string, unknown>)) {
        if (!codes.has(code)) {
          problems.push(`nixpkgsInstances.diagnostics.${code}: unknown diagnostic code; ignored`);
        } else if (typeof level !== 'string' || !(SEVERITY_VALUES as readonly string[]).includes(level)) {
          problems.push(
            `nixpkgsInstances.diagnostics.${code}: ${JSON.stringify(level)} is not one of ${SEVERITY_VALUES.join(', ')}; using the default`,
          );
        } else {
          diagnostics.set(code, level as SeverityOverride);
        }
      }
    }
  }
  const ex = section['exclude'];
  if (ex !== undefined && ex !== null) {
    if (!Array.isArray(ex)) problems.push('nixpkgsInstances.exclude: expected a list of glob patterns; ignored');
    else {
      exclude = ex.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
      if (exclude.length !== ex.length) problems.push('nixpkgsInstances.exclude: entries that are not non-empty strings were ignored');
    }
  }
  return { settings: { diagnostics, exclude }, problems };
}

/** Where the user documentation lives: diagnostics link to `${DOCS_URL}#<code>`. */
export const DOCS_URL = 'https://github.com/nixpkgs-instances/nixpkgs-instances/blob/main/README.md';

/** The package version, set by the bundler (scripts/build.mjs); `dev` when run from tsc output. */
declare const __VERSION__: string | undefined;
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

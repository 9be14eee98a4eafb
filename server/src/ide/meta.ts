/** Where the user documentation lives: diagnostics link to `${DOCS_URL}#<code>`. */
export const DOCS_URL = 'https://github.com/nixpkgs-instances/nixpkgs-instances/blob/main/README.md';

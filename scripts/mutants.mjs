// The mutants `npm run mutate` applies, one at a time, to a copy of server/src/ide: small,
// realistic bugs (a flipped or off-by-one comparison, a dropped condition, a wrong default, a
// forgotten case). `find` must occur exactly once in `file`; when the code changes so that it no
// longer does, the run reports the mutant as stale: update it to the new text (or drop it when
// the code it mutated is gone). Add mutants for the code a change touches.
const ide = 'server/src/ide/';

export const MUTANTS = [
  // ---- cost ---------------------------------------------------------------------------------
  {
    file: ide + 'cost.ts',
    description: 'a module instance counts once, not once per configuration that loads it',
    find: "return { count: units.length, why: `${call}${per} (${names.join(', ')})`, by: names, units };",
    replace: "return { count: 1, why: `${call}${per} (${names.join(', ')})`, by: names, units };",
  },
  {
    file: ide + 'cost.ts',
    description: 'an instance nothing evaluates is counted',
    find: 'if (kind === null || !inst.evaluated) continue;',
    replace: 'if (kind === null) continue;',
  },
  {
    file: ide + 'cost.ts',
    description: 'an overlay is applied to no configuration',
    find: 'if (setters.length === 0 && [...naming].some((f) => model.builders.some((b) => b.file === f))) {',
    replace: 'if (false) {',
  },
  {
    file: ide + 'cost.ts',
    description: 'derived sets (pkgsCross) are counted as created',
    find: "    case 'pkgsCross':\n    case 'variant':\n      return 'derived';",
    replace: "    case 'pkgsCross':\n    case 'variant':\n      return 'created';",
  },
  {
    file: ide + 'index/place.ts',
    description: 'a generator bound in a let (`forAllSystems = genAttrs [ ... ]`) is not followed',
    find: 'if (parts) return generatorSystems(parts.fn, [...parts.args, ...args], def!, perSystem, depth + 1);',
    replace: '',
  },
  // ---- speed (issue #15): what skips work must not change what is found --------------------
  {
    file: ide + 'index/extract.ts',
    description: 'the walk stops after the first child that holds a word',
    find: '        k = words.firstFrom(child.endIndex);',
    replace: '        k = words.count;',
  },
  {
    file: ide + 'index/extract.ts',
    description: 'a subtree that may nest too deep is not walked whole (the file is not marked partial)',
    find: 'if (this.full || depth + node.descendantCount > MAX_NESTING) {',
    replace: 'if (this.full) {',
  },
  {
    file: ide + 'analysis.ts',
    description: 'the second typing fast path keeps the model when the file has as many sites, whatever they are',
    find: 'if (factsText(moved) === factsText(facts) || (evaluation && factsText(live(moved)) === factsText(live(facts)))) {',
    replace: 'if (moved.sites.length === facts.sites.length) {',
  },
  {
    file: ide + 'evaluation.ts',
    description: 'a reference to a folder with files in it is taken for one that names nothing',
    find: '    return !(i < this.sorted.length && this.sorted[i]!.startsWith(prefix));',
    replace: '    return true;',
  },
  // ---- diagnostics --------------------------------------------------------------------------
  {
    file: ide + 'diagnostics/pkgs-with-config.ts',
    description: "a builder's inline modules: every option of its file, other builders' inline modules too",
    find: 'const inline = optionsOf(b.file).filter((o) => within(b.fact.span, o.opt.span));',
    replace: 'const inline = optionsOf(b.file);',
  },
  {
    file: ide + 'diagnostics/pkgs-with-config.ts',
    description: "a builder's inline modules: only their nixpkgs.pkgs counts",
    find: 'const inline = optionsOf(b.file).filter((o) => within(b.fact.span, o.opt.span));',
    replace: "const inline = optionsOf(b.file).filter((o) => within(b.fact.span, o.opt.span) && o.opt.option === 'nixpkgs.pkgs');",
  },
  {
    file: ide + 'diagnostics/pkgs-with-config.ts',
    description: "a file no builder loads is one group, its builder calls' inline modules included",
    find: 'groups.push(optionsOf(file).filter((o) => !calls.some((b) => within(b.fact.span, o.opt.span))));',
    replace: 'groups.push(optionsOf(file));',
  },
  {
    file: ide + 'diagnostics/pkgs-with-config.ts',
    description: 'an empty overlays list `[ ]` counts as set',
    find: 'return /=\\s*(\\{\\s*\\}|\\[\\s*\\])\\s*;?\\s*$/.test(binding);',
    replace: 'return /=\\s*(\\{\\s*\\})\\s*;?\\s*$/.test(binding);',
  },
  {
    file: ide + 'diagnostics/pkgs-with-config.ts',
    description: 'overlays beside nixpkgs.pkgs are an error like config',
    find: "severity: isConfig ? 'error' : 'warning',",
    replace: "severity: 'error',",
  },
  {
    file: ide + 'diagnostics/duplicate-instance.ts',
    description: 'duplicates need three equal instances (threshold off by one)',
    find: 'if (group.length < 2) continue;',
    replace: 'if (group.length < 3) continue;',
  },
  {
    file: ide + 'diagnostics/duplicate-instance.ts',
    description: 'equal instances of two different flakes are compared',
    find: "const key = `${model.flakeOf(inst.file)?.path ?? ''}\\0${inst.key}`;",
    replace: 'const key = inst.key;',
  },
  {
    file: ide + 'diagnostics/duplicate-instance.ts',
    description: 'sites nothing evaluates count as duplicates',
    find: "if (!inst.createsInstance || !inst.evaluated || inst.kind !== 'import' || inst.key === null) continue;",
    replace: "if (!inst.createsInstance || inst.kind !== 'import' || inst.key === null) continue;",
  },
  {
    file: ide + 'diagnostics/impure-system.ts',
    description: '`localSystem` alone is taken as no system',
    find: "if (!attrs || attrs.has('system') || attrs.has('localSystem')) continue;",
    replace: "if (!attrs || attrs.has('system')) continue;",
  },
  {
    file: ide + 'diagnostics/impure-system.ts',
    description: 'an error also for files inside a flake that nothing evaluates',
    find: 'const pure = inst.evaluated && (model.flakeOf(inst.file) !== null || inst.input !== null);',
    replace: 'const pure = model.flakeOf(inst.file) !== null || inst.input !== null;',
  },
  {
    file: ide + 'diagnostics/instance-in-module.ts',
    description: 'a module one configuration loads is reported (threshold off by one)',
    find: 'if (units.length < 2) continue;',
    replace: 'if (units.length < 1) continue;',
  },
  {
    file: ide + 'diagnostics/instance-in-module.ts',
    description: 'one home-manager configuration among NixOS ones makes the advice `extraSpecialArgs` only',
    find: "return hm === units.length ? 'extraSpecialArgs'",
    replace: "return hm > 0 ? 'extraSpecialArgs'",
  },
  {
    file: ide + 'diagnostics/instance-per-call.ts',
    description: 'repeated calls need three equal calls',
    find: 'const repeatedCalls = calls.filter((c) => texts.get(textOf(c))! > 1);',
    replace: 'const repeatedCalls = calls.filter((c) => texts.get(textOf(c))! > 2);',
  },
  {
    file: ide + 'diagnostics/instance-per-call.ts',
    description: 'calls inside a module are not taken as per host',
    find: "const perHostCalls = calls.filter((c) => c.scope === 'per-host' || c.location === 'module');",
    replace: "const perHostCalls = calls.filter((c) => c.scope === 'per-host');",
  },
  {
    file: ide + 'diagnostics/instance-per-call.ts',
    description: 'one named configuration counts as several',
    find: 'return named >= 2 ?',
    replace: 'return named >= 1 ?',
  },
  {
    file: ide + 'diagnostics/prefer-legacy-packages.ts',
    description: 'an instance with a system and more (config, overlays) is offered legacyPackages',
    find: 'if (!attrs || attrs.size !== 1) continue;',
    replace: 'if (!attrs || attrs.size === 0) continue;',
  },
  {
    file: ide + 'diagnostics/prefer-legacy-packages.ts',
    description: 'channel and fetched nixpkgs (no flake input) are offered legacyPackages',
    find: "if (inst.kind !== 'import' || !inst.evaluated || (inst.input === null && !inputOfInput(model, inst))) continue;",
    replace: "if (inst.kind !== 'import' || !inst.evaluated) continue;",
  },
  {
    file: ide + 'diagnostics/prefer-legacy-packages.ts',
    description: 'a platform expression in `localSystem` is selected without parentheses',
    find: 'return SELECTION.test(text) ? `\\${${text}.system}` : `\\${(${text}).system}`;',
    replace: 'return `\\${${text}.system}`;',
  },
  {
    file: ide + 'diagnostics/system-and-local-system.ts',
    description: "NixOS's nixpkgs.system beside nixpkgs.localSystem is reported",
    find: "if (inst.kind === 'platform') continue;",
    replace: '',
  },
  {
    file: ide + 'diagnostics/system-and-local-system.ts',
    description: 'the error points at `localSystem` instead of `system`',
    find: 'range: lines.range(system.keySpan),',
    replace: 'range: lines.range(local.keySpan),',
  },
  {
    file: ide + 'diagnostics/global-overlays.ts',
    description: 'any replaced package counts as low-level',
    find: 'if (low.length === 0) continue;',
    replace: 'if (opt.replaces.length === 0) continue;',
  },
  {
    file: ide + 'diagnostics/emulated-and-cross.ts',
    description: 'emulation on one host meets cross-compilation on any other host',
    find: 'if (ua && ub) return ua.some((u) => ub.includes(u));',
    replace: 'if (ua && ub) return true;',
  },
  {
    file: ide + 'diagnostics/emulated-and-cross.ts',
    description: 'a native instance of an emulated system is reported without any cross-compilation to it',
    find: '      if (crosses.length === 0) continue;\n',
    replace: '',
  },
  {
    file: ide + 'diagnostics/invalid-cross-system.ts',
    description: "`hostPlatform`/`buildPlatform` strings are not checked",
    find: "for (const key of ['localSystem', 'crossSystem', 'hostPlatform', 'buildPlatform'] as const) {",
    replace: "for (const key of ['localSystem', 'crossSystem'] as const) {",
  },
  {
    file: ide + 'diagnostics/index.ts',
    description: '`# nixpkgs-instances: ignore` at the end of the reported line is not honoured',
    find: '(s.line === line - 1 || s.line === line)',
    replace: 's.line === line - 1',
  },
  {
    file: ide + 'diagnostics/index.ts',
    description: "a severity setting does not apply to kinds that choose their own severity",
    find: 'severity: override ?? d.severity ?? kind.defaultSeverity',
    replace: 'severity: d.severity ?? override ?? kind.defaultSeverity',
  },
  {
    file: ide + 'diagnostics/util.ts',
    description: 'lists of exactly four names are cut short',
    find: 'if (unique.length > max)',
    replace: 'if (unique.length >= max)',
  },

  // ---- cross ----------------------------------------------------------------------------------
  {
    file: ide + 'cross/riscv.ts',
    description: '`rv64ga` is let through (a is already part of g)',
    find: "if (this.base === 'g' && 'mafd'.includes(ch)) {",
    replace: "if (this.base === 'g' && 'mfd'.includes(ch)) {",
  },
  {
    file: ide + 'cross/riscv.ts',
    description: 'g no longer implies zifencei',
    find: "['g', ['i', 'm', 'a', 'f', 'd', 'zicsr', 'zifencei']],",
    replace: "['g', ['i', 'm', 'a', 'f', 'd', 'zicsr']],",
  },
  {
    file: ide + 'cross/riscv.ts',
    description: 'an f ABI is accepted without the F extension',
    find: "  if (info.float === 'f' && !parsed.extensions.has('f')) return false;\n",
    replace: '',
  },
  {
    file: ide + 'cross/riscv.ts',
    description: "GCC's default ABI for an ISA with D is taken as soft-float",
    find: "if (parsed.extensions.has('d')) return parsed.xlen === 32 ? 'ilp32d' : 'lp64d';",
    replace: "if (parsed.extensions.has('f')) return parsed.xlen === 32 ? 'ilp32d' : 'lp64d';",
  },

  // ---- evaluation -----------------------------------------------------------------------------
  {
    file: ide + 'evaluation.ts',
    description: 'a default argument is never evaluated, even where a caller passes `{ }`',
    find: 'return site.defaultOf === null || this.emptyCalled.has(file);',
    replace: 'return site.defaultOf === null;',
  },
  {
    file: ide + 'evaluation.ts',
    description: 'entry points (flake.nix, configuration.nix) are not taken as evaluated',
    find: "return r === 'entry' || r === 'reached';",
    replace: "return r === 'reached';",
  },
  {
    file: ide + 'evaluation.ts',
    description: 'channel entry pattern: only a bare configuration.nix (not hosts/laptop-configuration.nix)',
    find: 'const CHANNEL_ENTRY = /(^|[-_.])configuration\\.nix$|^home\\.nix$/;',
    replace: 'const CHANNEL_ENTRY = /^configuration\\.nix$|^home\\.nix$/;',
  },
  {
    file: ide + 'evaluation.ts',
    description: 'a file copied into the store for a program (`"${./update.nix}"`) is followed',
    find: '      if (ref.copy) continue;\n      const target = this.pathOf(file, ref);',
    replace: '      const target = this.pathOf(file, ref);',
  },
  {
    file: ide + 'evaluation.ts',
    description: 'the root folder is never a flake folder (the walk up stops before it)',
    find: "    const found = byFolder.get(dir);\n    if (found !== undefined) return found;\n    if (dir === '/' || dir === '.') return undefined;",
    replace: "    if (dir === '/' || dir === '.') return undefined;\n    const found = byFolder.get(dir);\n    if (found !== undefined) return found;",
  },
  {
    file: ide + 'evaluation.ts',
    description: 'channel-era modules other files import are entry points too',
    find: 'const entries = outside.filter((p) => !named.has(p) && this.isConfiguration(p));',
    replace: 'const entries = outside.filter((p) => this.isConfiguration(p));',
  },

  // ---- workspace ------------------------------------------------------------------------------
  {
    file: ide + 'evaluation.ts',
    description: 'a file belongs only to a flake at the top folder, never to the nearest sub-flake',
    find: "    if (found !== undefined) return found;\n    if (dir === '/' || dir === '.') return undefined;",
    replace: "    if (found !== undefined && (dir === '/' || dir === '.')) return found;\n    if (dir === '/' || dir === '.') return undefined;",
  },
  {
    file: ide + 'workspace.ts',
    description: '`nixpkgs.pkgs = <existing set>` counts as a new instance',
    find: "site.kind !== 'legacyPackages' && site.kind !== 'nixpkgs.pkgs' && !(site.kind === 'import' && site.wrapper !== null);",
    replace: "site.kind !== 'legacyPackages' && !(site.kind === 'import' && site.wrapper !== null);",
  },
  {
    file: ide + 'workspace.ts',
    description: "a module's `imports` are not followed",
    find: "queue.push(...this.resolveModulePath(m, ref.path.replace(/\\$\\{[^}]*\\}/g, '*')));",
    replace: 'void ref;',
  },
  {
    file: ide + 'workspace.ts',
    description: 'equal text under different inner functions (`system` of genAttrs) is one instance',
    find: "key: site.args ? `${resolved.identity}|${fingerprint(site.args)}|${site.argsScope ?? ''}` : null,",
    replace: 'key: site.args ? `${resolved.identity}|${fingerprint(site.args)}` : null,',
  },
  {
    file: ide + 'workspace.ts',
    description: 'configurations in files nothing evaluates are counted',
    find: '      if (!this.evaluation.fileEvaluated(entry.path)) continue;\n      for (const c of entry.facts.configurations) {',
    replace: '      for (const c of entry.facts.configurations) {',
  },

  // ---- index ----------------------------------------------------------------------------------
  {
    file: ide + 'index/extract.ts',
    description: 'a channel keeps its angle brackets (`<nixpkgs>` instead of nixpkgs)',
    find: "if (n.type === K.SPath) return { kind: 'channel', name: n.text.slice(1, -1) };",
    replace: "if (n.type === K.SPath) return { kind: 'channel', name: n.text };",
  },
  {
    file: ide + 'index/vocabulary.ts',
    description: '`nixpkgs.buildPlatform` is not a platform option',
    find: "const PLATFORM_OPTIONS = new Set(['hostPlatform', 'buildPlatform', 'crossSystem', 'localSystem', 'system']);",
    replace: "const PLATFORM_OPTIONS = new Set(['hostPlatform', 'crossSystem', 'localSystem', 'system']);",
  },
  {
    file: ide + 'index/extract.ts',
    description: "an inline module in a builder's `modules` is taken as per call, not per host",
    find: "if (binding?.type === K.Binding && binding.childForFieldName('attrpath')?.text === 'modules') {\n          return { scope: 'per-host', wrapper: null };",
    replace: "if (binding?.type === K.Binding && binding.childForFieldName('attrpath')?.text === 'modules') {\n          return { scope: 'per-call', wrapper: null };",
  },
  {
    file: ide + 'index/refs.ts',
    description: '`(import ./x.nix) { }` is not an empty call',
    find: 'const EMPTY_CALL = /^\\s*\\)?\\s*\\{\\s*\\}/;',
    replace: 'const EMPTY_CALL = /^\\s*\\{\\s*\\}/;',
  },
  {
    file: ide + 'index/args.ts',
    description: '`lib.mkForce x` is not read through',
    find: "const PRIORITY = new Set(['mkDefault', 'mkForce', 'mkOverride', 'mkOptionDefault', 'mkImageMediaOverride']);",
    replace: "const PRIORITY = new Set(['mkDefault', 'mkOverride', 'mkOptionDefault', 'mkImageMediaOverride']);",
  },

  // ---- assists --------------------------------------------------------------------------------
  {
    file: ide + 'assists/use-legacy-packages.ts',
    description: 'a source that is not a name or selection is not parenthesised',
    find: 'return isSelectable(n) ? n.text : `(${n.text})`;',
    replace: 'return n.text;',
  },
  {
    file: ide + 'assists/hoist.ts',
    description: 'hoisting names an input `outputs` does not take without adding it to the formals',
    find: '  return { ref: name, addFormal: true };',
    replace: '  return { ref: name, addFormal: false };',
  },
  {
    file: ide + 'assists/hoist.ts',
    description: 'a flake input as a whole (`nixpkgs`) is not renamed to how flake.nix names it',
    find: '          if (flakeInputs.has(base)) {\n            replacements.push(',
    replace: '          if (flakeInputs.has(base) && sel.path.length > 0) {\n            replacements.push(',
  },
  {
    file: ide + 'assists/add-local-system.ts',
    description: 'hosts of different systems get the first host\'s system',
    find: 'if (distinct.length === 1 && distinct[0]) return { value: quote(distinct[0]) };',
    replace: 'if (distinct.length >= 1 && distinct[0]) return { value: quote(distinct[0]) };',
  },
  {
    file: ide + 'assists/add-local-system.ts',
    description: 'flake.nix binding `system` to several values gives the first',
    find: 'if (literals.size === 1) return { value: quote([...literals][0]!) };',
    replace: 'if (literals.size >= 1) return { value: quote([...literals][0]!) };',
  },

  // ---- features -------------------------------------------------------------------------------
  {
    file: ide + 'features/completion.ts',
    description: 'completion offers `system` beside `localSystem`',
    find: "        if (k.name === 'system' && present.has('localSystem')) return false;\n",
    replace: '',
  },
  {
    file: ide + 'features/completion.ts',
    description: 'completing `system` writes a literal even where `system` is in scope',
    find: "return snippet(systemVar ? 'inherit system;' : 'system = \"${1:x86_64-linux}\";');",
    replace: "return snippet('system = \"${1:x86_64-linux}\";');",
  },
  {
    file: ide + 'features/completion.ts',
    description: 'a key being renamed before `.` gets a whole snippet',
    find: 'const editingKey = /^\\s*[=.]/.test(',
    replace: 'const editingKey = /^\\s*=/.test(',
  },
  {
    file: ide + 'features/describe.ts',
    description: 'a ready-made platform\'s gcc.arch is called a custom setting',
    find: 'if (known) continue;',
    replace: 'if (known && config === null) continue;',
  },
  {
    file: ide + 'text.ts',
    description: 'a lone `\\r` is not a line break',
    find: '        if (text.charCodeAt(i + 1) === 10) i++;\n        starts.push(i + 1);',
    replace: '        if (text.charCodeAt(i + 1) === 10) {\n          i++;\n          starts.push(i + 1);\n        }',
  },

  // ---- typing fast path, settings, overview -----------------------------------------------------
  {
    file: ide + 'inert-edit.ts',
    description: "typing in a host's name (`mkHost \"box\"`) is taken as inert",
    find: '    yield* b.nameSpans;\n',
    replace: '',
  },
  {
    file: ide + 'inert-edit.ts',
    description: 'related places in the edited file are not shifted, those in other files are',
    find: 'if (r.file !== file) continue;',
    replace: 'if (r.file === file) continue;',
  },
  {
    file: ide + 'settings.ts',
    description: 'blank exclude globs are kept',
    find: "exclude = ex.filter((g): g is string => typeof g === 'string' && g.trim() !== '');",
    replace: "exclude = ex.filter((g): g is string => typeof g === 'string');",
  },
  {
    file: ide + 'overview.ts',
    description: 'hints are left out of the overview count',
    find: "infos: diagnostics.filter((d) => d.severity === 'information' || d.severity === 'hint').length,",
    replace: "infos: diagnostics.filter((d) => d.severity === 'information').length,",
  },
  {
    file: ide + 'features/symbols.ts',
    description: 'workspace symbols return one more than the limit',
    find: 'if (out.length >= limit) break;',
    replace: 'if (out.length > limit) break;',
  },
  // ---- this session's evaluation rules and fixes (share-per-system, hoist targets, verify) -------
  {
    file: ide + 'evaluation.ts',
    description: 'a folder given to callPackage reaches every file under it',
    find: 'if (ref.called) return this.files.has(target) ? [target] : this.files.has(dflt) ? [dflt] : [];',
    replace: 'if (ref.called && this.files.has(target)) return [target];',
  },
  {
    file: ide + 'index/extract.ts',
    description: 'a let-bound path used as a value as well as interpolated is taken for a store copy',
    find: 'if (!u || u.all !== u.interpolated) continue;',
    replace: 'if (!u || u.interpolated === 0) continue;',
  },
  {
    file: ide + 'analysis.ts',
    description: 'the evaluation layer is kept after an edit that adds a path reference',
    find: '  if (JSON.stringify(a.refs) === JSON.stringify(b.refs)) return true;',
    replace: '  if (a.refs.length === b.refs.length) return true;',
  },
  {
    file: ide + 'index/extract.ts',
    description: 'the text check before the walk for let-bound store copies only knows ./ paths',
    find: "!/=\\s*(?:\\.\\.?|~)?\\//.test(this.text)",
    replace: "!/=\\s*\\.\\//.test(this.text)",
  },
  {
    file: ide + 'evaluation.ts',
    description: 'the flake a file belongs to is looked for from its parent folder up (files beside a sub-flake go to the outer flake)',
    find: '  for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {',
    replace: '  for (let dir = posix.dirname(posix.dirname(path)); ; dir = posix.dirname(dir)) {',
  },
  {
    file: ide + 'analysis.ts',
    description: 'an edit on the typing fast path keeps the assists (and edits) of the text before it',
    find: 'this.fastEdits++;\n    this.currentRevision++;',
    replace: 'this.fastEdits++;',
  },
  {
    file: ide + 'assists/share-per-system.ts',
    description: 'an instance keyed by the call is lifted as one plain binding (every system shares one set)',
    find: 'const perSystem = sys !== null && [...keyDefs.values()].some((d) => d !== null && within(d.scope, targetScope) && !d.scope.equals(targetScope));',
    replace: 'const perSystem = false;',
  },
  {
    file: ide + 'assists/verify.ts',
    description: 'an edit to a file that was already broken is refused',
    find: 'if (old) continue;',
    replace: 'if (old && false) continue;',
  },
  {
    file: ide + 'assists/hoist.ts',
    description: 'a helper file whose own function builds one host per call is a hoist target',
    find: 'if (!inner || inner.equals(fn)) return',
    replace: 'if (!inner) return',
  },
  // ---- round 4 (real corpus: factories, layouts, loaders, comments) ---------------------------
  {
    file: ide + 'index/extract.ts',
    description: 'an import inside a function the factory returns counts as the factory body',
    find: "if (param?.kind === 'param' && (site.wrapper === param.wrapper || site.scope === 'per-system')) {",
    replace: "if (param?.kind === 'param') {",
  },
  {
    file: ide + 'index/sources.ts',
    description: '`system` alone makes a source the file cannot name a nixpkgs (`import (self + "/pkgs") { inherit system; }`)',
    find: "return [...attrs!.keys()].some((k) => k !== 'system') ||",
    replace: 'return true ||',
  },
  {
    file: ide + 'index/refs.ts',
    description: 'a commented-out import still reaches its file',
    find: "const text = source.includes('#') ? source.replace(COMMENT_LINE, (line) => ' '.repeat(line.length)) : source;",
    replace: 'const text = source;',
  },
  {
    file: ide + 'index/refs.ts',
    description: '`./.` handed to a folder loader reads only its default.nix',
    find: 'else if (dot && LOADER.test(before)) ref.loader = true;',
    replace: '',
  },
  {
    file: ide + 'evaluation.ts',
    description: "clan-core's machines are not read by layout",
    find: "if (posix.basename(file) !== 'flake.nix' || entry.text === null || !CLAN.test(entry.text)) return [];",
    replace: 'return [];',
  },
  {
    file: ide + 'workspace.ts',
    description: "snowfall-lib's layout builds no configurations",
    find: 'for (const flake of this.flakes) if (flake.root) this.snowfallLayout(flake);',
    replace: '',
  },
  {
    file: ide + 'workspace.ts',
    description: "a module's nixpkgs.hostPlatform does not decide the configuration's system",
    find: 'return system ?? unit.builder.fact.system;',
    replace: 'return unit.builder.fact.system ?? system;',
  },
  {
    file: ide + 'index/extract.ts',
    description: 'a `lib.mkDefault` value of an option is not read',
    find: 'value: staticString(withoutPriority(value))',
    replace: 'value: staticString(value)',
  },
  {
    file: ide + 'index/extract.ts',
    description: '`pkgs ? let ... in import ...` is not a default argument',
    find: "while (parent?.type === K.Let && parent.childForFieldName('body')?.equals(n)) {",
    replace: "while (parent?.type === K.Let && parent.childForFieldName('body')?.equals(n) && n === null) {",
  },
  {
    file: ide + 'assists/share-per-system.ts',
    description: "a factory's calls with different arguments besides the system share one set",
    find: 'if (rest !== null && restText !== rest) return',
    replace: 'if (false) return',
  },
  {
    file: ide + 'diagnostics/instance-per-call.ts',
    description: 'a factory defined inside a function that per-host helpers call is quiet',
    find: 'for (const name of [w.name, ...w.within]) {',
    replace: 'for (const name of [w.name]) {',
  },
  {
    file: ide + 'scope.ts',
    description: '`inherit x;` in a let reads its own entry',
    find: 'if (e.plainInherit && inside(from, e.entry)) continue;',
    replace: '',
  },
  {
    file: ide + 'evaluation.ts',
    description: 'an instance bound by a let that nothing names is taken as evaluated',
    find: 'if (!this.fileEvaluated(file) || site.unused) return false;',
    replace: 'if (!this.fileEvaluated(file)) return false;',
  },
  {
    file: ide + 'index/shapes.ts',
    description: 'module lists bound in a let are not followed',
    find: 'const bound = name !== null ? resolve(name) : null;',
    replace: 'const bound = null;',
  },
  {
    file: ide + 'inert-edit.ts',
    description: "renaming a variable takes the typing fast path (a let binding's only use renamed away keeps it 'used')",
    find: ' || parent.type === K.InheritedAttrs || parent.type === K.Variable) return false;',
    replace: ' || parent.type === K.InheritedAttrs) return false;',
  },
  {
    file: ide + 'workspace.ts',
    description: 'hosts a helper maps over are not read from the names its caller writes out',
    find: 'if (entries.length) known = entries.map(',
    replace: 'if (entries.length && false) known = entries.map(',
  },
  {
    file: ide + 'cost.ts',
    description: "an overlay set in a builder's inline module counts no configuration",
    find: 'if (b.file === m && spans.some((s) => b.fact.span.start <= s.start && s.end <= b.fact.span.end)) for (const u of b.units) units.add(u);',
    replace: '',
  },
];

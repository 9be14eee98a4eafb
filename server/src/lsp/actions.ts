/**
 * Code actions over LSP: `textDocument/codeAction` lists the assists at a
 * range, and `codeAction/resolve` computes the edit of the one the user picks.
 *
 * What is cheap and what is not. The list carries titles, kinds, the
 * diagnostics each fixes and disabled reasons; for a client that resolves
 * (`codeAction.resolveSupport` naming `edit`) no edit. The assists that only
 * rewrite text in place (fix-cross-abi, remove-system-arg, reuse-instance,
 * use-legacy-packages, add-local-system) plan without building their edit,
 * which is built on resolve. The ones that move code (hoist-to-flake,
 * share-per-system, hoist-all) must build their edit and parse every file it
 * touches before they can say whether they are enabled (assists/verify.ts:
 * an edit that would not parse is offered disabled, never applied), so that
 * work stays in the list; the analysis keeps the assists of its current
 * revision (resolve finds the edit already built), and plans hoist-to-flake
 * once per instance and hoist-all once per revision, whichever file asks.
 * Hoist all must parse every module it moves to know its title, which costs
 * hundreds of ms with hundreds of instances: it is computed only when source
 * actions can be shown, that is when `only` asks for them or the request is
 * not automatic. VS Code asks automatically on every cursor move (for the
 * light bulb) and drops source actions from those answers itself; its Source
 * Action menu asks with `only: ["source"]`. A client without resolve support
 * gets every edit in the list, as before.
 *
 * Staleness. An action's `data` holds where it was asked for, the document's
 * version and the analysis revision then. Resolving after either changed
 * answers the action without an edit, disabled with the reason: an edit is
 * only ever computed on the texts the list was computed on. Open documents
 * carry their version in the edit too, so an editor that moved on refuses it;
 * a closed file is read again first and the edit refused if the disk changed.
 */
import { CodeActionTriggerKind, LSPErrorCodes, ResponseError, type CodeAction, type Range, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Analysis } from '../ide/analysis.js';
import type { Assist, AssistKind } from '../ide/assists/index.js';
import { LineIndex } from '../ide/text.js';
import { readNixFile } from '../node/loader.js';
import { toLspDiagnostic, toWorkspaceEdit, uriToPath } from './convert.js';
import type { OpenDocuments } from './documents.js';
import * as check from './params.js';

/** What a code action list needs from the server. */
export interface ActionHost {
  analysis: Analysis;
  documents: OpenDocuments;
  /** Reads a closed file again after it changed on disk behind the server's back (and republishes). */
  reloadFromDisk(path: string): void;
  log(message: string): void;
  error(message: string): void;
}

/** What `codeAction/resolve` needs to find the action again, and to tell whether it still holds. */
export interface ActionData {
  uri: string;
  range: Range;
  id: string;
  title: string;
  /** The document's version when the list was made; null for a file the editor did not have open. */
  version: number | null;
  /** `Analysis.revision` when the list was made. */
  revision: number;
}

/** `textDocument/codeAction`: edits only for clients that cannot resolve them. */
export function codeActions(host: ActionHost, params: Record<string, unknown>, resolveEdits: boolean): CodeAction[] {
  const uri = check.documentUri(params, 'textDocument/codeAction');
  const path = uriToPath(uri);
  const range = check.ordered(check.range(params['range'], 'range'));
  const context = check.object(params['context'], 'context');
  const only = check.optionalStrings(context['only'], 'context.only');
  const wanted = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
  const skip = sourceWanted(only, context['triggerKind']) ? [] : SOURCE;
  return withFreshFiles(host, () => {
    const a = host.analysis;
    const lines = a.workspace().files.get(path)?.lines;
    if (!lines) return [];
    const out: CodeAction[] = [];
    for (const assist of assistsAt(host, path, lines.span(range), skip).filter((x) => wanted(x.kind))) {
      const action = listed(assist);
      if (resolveEdits) {
        const data: ActionData = { uri, range, id: assist.id, title: assist.title, version: host.documents.version(path), revision: a.revision };
        action.data = data;
      } else if (!assist.disabled) {
        const edit = editOrNull(host, assist);
        if (!edit) continue;
        action.edit = edit;
      }
      out.push(action);
    }
    return out;
  });
}

/** `codeAction/resolve`: the action with its edit, or disabled with the reason it no longer holds. */
export function resolveCodeAction(host: ActionHost, params: Record<string, unknown>): CodeAction {
  const action = params as unknown as CodeAction;
  const data = actionData(params['data']);
  const a = host.analysis;
  const path = uriToPath(data.uri);
  const stale = (reason: string): CodeAction => {
    const { edit: _edit, ...rest } = action;
    return { ...rest, disabled: { reason } };
  };
  if (host.documents.version(path) !== data.version) return stale(`${path.split('/').at(-1)} changed after this action was offered; ask for code actions again.`);
  if (a.revision !== data.revision) return stale('The workspace changed after this action was offered; ask for code actions again.');
  return withFreshFiles(host, () => {
    const lines = a.workspace().files.get(path)?.lines;
    // Found where the list found it (source actions only computed for a source action).
    const skip = action.kind === 'source' ? [] : SOURCE;
    const assist = lines && assistsAt(host, path, lines.span(data.range), skip).find((x) => x.id === data.id && x.title === data.title);
    if (!assist) return stale('This action no longer applies here; ask for code actions again.');
    if (assist.disabled) return { ...listed(assist), data };
    const edit = editOrNull(host, assist);
    return edit ? { ...listed(assist), data, edit } : stale('The edit could not be computed; the log says why.');
  });
}

/** The hoist-all assist of the workspace and its edit (null when disabled), for the server's command. */
export function hoistAllEdit(
  host: ActionHost,
  rootFlake: string,
): { assist: Assist | undefined; edit: null } | { assist: Assist; edit: WorkspaceEdit } {
  return withFreshFiles(host, () => {
    const assist = host.analysis.assists(rootFlake, { start: 0, end: 0 }).find((x) => x.id === 'hoist-all');
    return assist && !assist.disabled ? { assist, edit: editFor(host, assist) } : { assist, edit: null as null };
  });
}

const SOURCE: readonly AssistKind[] = ['source'];

/** Whether a code action request can show source actions: asked for by `only`, or asked for by the user. */
function sourceWanted(only: readonly string[] | undefined, triggerKind: unknown): boolean {
  if (only) return only.some((k) => k === '' || k === 'source' || 'source'.startsWith(k + '.'));
  return triggerKind !== CodeActionTriggerKind.Automatic;
}

function assistsAt(host: ActionHost, path: string, span: { start: number; end: number }, skip: readonly AssistKind[]): Assist[] {
  return host.analysis.assists(path, span, (id, e) => host.error(`assist ${id} failed: ${(e as Error).stack ?? e}`), skip);
}

/** An assist as a listed action: everything but the edit. */
function listed(assist: Assist): CodeAction {
  const action: CodeAction = { title: assist.title, kind: assist.kind, diagnostics: assist.fixes.map(toLspDiagnostic) };
  if (assist.preferred) action.isPreferred = true;
  if (assist.disabled) action.disabled = { reason: assist.disabled };
  return action;
}

function actionData(value: unknown): ActionData {
  const data = check.object(value, 'data');
  const uri = check.string(data['uri'], 'data.uri');
  const range = check.ordered(check.range(data['range'], 'data.range'));
  const id = check.string(data['id'], 'data.id');
  const title = check.string(data['title'], 'data.title');
  const version = data['version'] === null ? null : check.version(data['version'], 'data.version');
  const revision = data['revision'];
  if (typeof revision !== 'number') throw check.invalidParams('data.revision must be a number');
  return { uri, range, id, title, version, revision };
}

/** The edit, or null (logged) when computing it failed; a stale closed file is passed on. */
function editOrNull(host: ActionHost, assist: Assist): WorkspaceEdit | null {
  try {
    return editFor(host, assist);
  } catch (e) {
    if (e instanceof StaleFileError) throw e;
    host.error(`assist ${assist.id} edit failed: ${(e as Error).stack ?? e}`);
    return null;
  }
}

/**
 * The line index an edit of `file` is computed against: the text the assist
 * read. A file whose text the index dropped (nothing in it matters to the
 * index) is read as the assist read it.
 */
function linesFor(a: Analysis, file: string): LineIndex | undefined {
  const entry = a.workspace().files.get(file);
  if (!entry) return undefined;
  if (!entry.textDropped) return entry.lines;
  const text = a.documentText(file);
  return text === undefined ? undefined : new LineIndex(text);
}

/**
 * One versioned WorkspaceEdit for an assist. Open documents carry the
 * version the edit was computed for, so an editor that has moved on refuses
 * it. A closed file carries null (LSP has no version for it): the edit is
 * only made if the file on disk is still the text the analysis read, and a
 * file that changed behind the server's back is read again and the edit
 * refused (StaleFileError) instead of being applied to the wrong text.
 */
function editFor(host: ActionHost, assist: Assist): WorkspaceEdit {
  const { analysis: a, documents: docs } = host;
  const change = assist.edit();
  for (const file of change.files.keys()) {
    if (docs.isOpen(file) || !file.startsWith('/')) continue;
    const disk = readNixFile(file);
    if (!('text' in disk) || disk.text !== a.documentText(file)) {
      host.reloadFromDisk(file);
      throw new StaleFileError(file);
    }
  }
  return toWorkspaceEdit(change, (file) => linesFor(a, file), (file) => docs.version(file));
}

/**
 * Runs `compute` again when a closed file it edits turned out to have
 * changed on disk (the file has been read again by then): assists and their
 * edits are computed from one model, so they are all recomputed, never
 * patched. A workspace that keeps changing gets ContentModified.
 */
function withFreshFiles<T>(host: ActionHost, compute: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return compute();
    } catch (e) {
      if (!(e instanceof StaleFileError)) throw e;
      host.log(e.message);
      if (attempt === 3) throw new ResponseError(LSPErrorCodes.ContentModified, 'workspace files keep changing on disk');
    }
  }
}

/** A closed file changed on disk after the analysis read it: an edit computed on the old text is refused. */
class StaleFileError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed on disk since it was indexed: read it again; the edit computed on the old text was dropped`);
  }
}

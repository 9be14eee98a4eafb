/**
 * Checks of what a client sent, before anything reaches the analysis. The
 * library hands handlers whatever JSON arrived; a request whose params do not
 * have the protocol's shape is answered with InvalidParams (a clear error
 * instead of a stack trace and an empty result), and a malformed notification
 * is dropped whole, so a half-applied edit can never desynchronise a document.
 *
 * Numbers are only required to be finite: positions beyond the end of a line
 * or of the document, negative ones included, are clamped by `LineIndex` as
 * editors expect.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Position, Range } from '../ide/text.js';

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `params` as an object, or InvalidParams (arrays are by-position params, which no method here takes). */
export function objectParams(params: unknown, method: string): Json {
  if (!isObject(params)) throw invalidParams(`${method}: params must be an object`);
  return params;
}

/** `params.textDocument.uri`. */
export function documentUri(params: Json, method: string): string {
  const doc = params['textDocument'];
  if (!isObject(doc) || typeof doc['uri'] !== 'string') throw invalidParams(`${method}: textDocument.uri must be a string`);
  return doc['uri'];
}

/** A position with finite numbers, floored to whole UTF-16 units. */
export function position(value: unknown, what: string): Position {
  if (!isObject(value)) throw invalidParams(`${what} must be a position`);
  const { line, character } = value;
  if (typeof line !== 'number' || !Number.isFinite(line) || typeof character !== 'number' || !Number.isFinite(character)) {
    throw invalidParams(`${what} must have numeric line and character`);
  }
  return { line: Math.floor(line), character: Math.floor(character) };
}

export function range(value: unknown, what: string): Range {
  if (!isObject(value)) throw invalidParams(`${what} must be a range`);
  return { start: position(value['start'], `${what}.start`), end: position(value['end'], `${what}.end`) };
}

/** A range with its ends in document order (a client may send them reversed). */
export function ordered(r: Range): Range {
  const after = r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character);
  return after ? { start: r.end, end: r.start } : r;
}

export function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalidParams(`${what} must be a string`);
  return value;
}

/** An optional list of strings (`CodeActionContext.only`). */
export function optionalStrings(value: unknown, what: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalidParams(`${what} must be a list of strings`);
  return value as string[];
}

export function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw invalidParams(`${what} must be an object`);
  return value;
}

/** A document version: an integer. */
export function version(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParams(`${what} must be an integer`);
  return value;
}

/** One entry of `didChange`'s contentChanges: a ranged replacement or the whole new text. */
export type ContentChange = { range: Range; text: string } | { text: string };

export function contentChanges(value: unknown): ContentChange[] {
  if (!Array.isArray(value)) throw invalidParams('contentChanges must be a list');
  return value.map((c, i) => {
    const change = object(c, `contentChanges[${i}]`);
    const text = string(change['text'], `contentChanges[${i}].text`);
    if (change['range'] === undefined || change['range'] === null) return { text };
    return { range: range(change['range'], `contentChanges[${i}].range`), text };
  });
}

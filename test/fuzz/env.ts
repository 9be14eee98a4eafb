/** The parser and donor corpus the mutator needs, built the same way in the worker and for replays. */
import { join } from 'node:path';
import { NixParser } from '../../server/src/syntax/parser.js';
import { parserLocation } from '../../server/src/node/paths.js';
import { REPO_ROOT } from '../support/workspace.js';
import { CORPUS, exampleFiles } from './corpus.js';
import { subtrees, type MutationEnv, type Sub } from './mutate.js';

export interface FuzzEnv extends MutationEnv {
  parser: NixParser;
}

export async function fuzzEnv(): Promise<FuzzEnv> {
  const parser = await NixParser.create(parserLocation());
  const donors = [...CORPUS, ...exampleFiles(join(REPO_ROOT, 'examples'))];
  const cache = new Map<number, Sub[]>();
  return {
    parser,
    donors,
    donorSubs: (i) => {
      let subs = cache.get(i);
      if (!subs) cache.set(i, (subs = subtrees(parser, donors[i]!.text)));
      return subs;
    },
  };
}

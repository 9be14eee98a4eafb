/** Imports every assist so it registers itself. Adding an assist: its file, and one line here. */
import { addLocalSystem } from './add-local-system.js';
import { fixCrossAbi } from './fix-cross-abi.js';
import { followNixpkgs } from './follow-nixpkgs.js';
import { hoistAll } from './hoist-all.js';
import { hoistToFlake } from './hoist-to-flake.js';
import { registerAssists } from './index.js';
import { removeSystemArg } from './remove-system-arg.js';
import { sharePerSystem } from './share-per-system.js';
import { reuseInstance } from './reuse-instance.js';
import { useLegacyPackages } from './use-legacy-packages.js';

registerAssists(
  addLocalSystem,
  fixCrossAbi,
  followNixpkgs,
  hoistAll,
  hoistToFlake,
  removeSystemArg,
  reuseInstance,
  sharePerSystem,
  useLegacyPackages,
);

export { ASSIST_HANDLERS, assistsAt } from './index.js';

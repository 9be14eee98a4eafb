/** Imports every assist so it registers itself. Adding an assist: its file, and one line here. */
import { hoistAll } from './hoist-all.js';
import { hoistToFlake } from './hoist-to-flake.js';
import { registerAssists } from './index.js';

registerAssists(hoistAll, hoistToFlake);

export { ASSIST_HANDLERS, assistsAt } from './index.js';

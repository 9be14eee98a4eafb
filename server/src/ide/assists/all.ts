/** Imports every assist so it registers itself. Adding an assist: its file, and one line here. */
import { registerAssists } from './index.js';

registerAssists();

export { ASSIST_HANDLERS, assistsAt } from './index.js';

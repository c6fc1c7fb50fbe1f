/** The requirement list `.venv` is installed with. */
export function requirements(): string[];
/** The interpreter the Keras cross tests run: `TFJS_SKIP_PYTHON`, or `.venv`'s. */
export function pythonPath(): string;
/** True when that interpreter exists (and `.venv` holds every requirement). */
export function isReady(): boolean;
/** What `npm run bench` adds to `.venv` (`node scripts/python-env.mjs bench`). */
export function benchRequirements(): string[];
/** True when the interpreter also holds the bench's requirements (with `TFJS_SKIP_PYTHON`: when it exists). */
export function isBenchReady(): boolean;

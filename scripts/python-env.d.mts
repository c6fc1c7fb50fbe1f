/** The requirement list `.venv` is installed with. */
export function requirements(): string[];
/** The interpreter the Keras cross tests run: `TFJS_SKIP_PYTHON`, or `.venv`'s. */
export function pythonPath(): string;
/** True when that interpreter exists (and `.venv` holds every requirement). */
export function isReady(): boolean;

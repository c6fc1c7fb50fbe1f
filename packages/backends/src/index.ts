/**
 * tfjs-skip-backends: the one place that chooses and brings up a TF.js
 * backend for tfjs-skip's command line, playground, bench and workers. The
 * layer library itself never imports a backend.
 *
 * @module tfjs-skip-backends
 */
export { activate, BACKEND_NAMES, describeBackend, probeTrainingStep, type BackendName } from './activate.js';
export { setupBackend, type BackendChoice, type ModuleLoader, type SetupBackendOptions } from './setup.js';

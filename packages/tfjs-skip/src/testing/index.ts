/**
 * Test helpers for layers built with or for tfjs-skip. Framework-agnostic:
 * they throw on failure, so they work under vitest, jest, mocha or node:test.
 *
 * @module tfjs-skip/testing
 */
export { checkLayerContract, ContractViolation, type LayerContract } from './layer_contract.js';
// The suites tfjs-skip runs in Node and in the browser share these: the
// SkipConnection configurations of the layer contract, and the models of the
// PyTorch reference fixtures (their JSON files: `tfjs-skip/fixtures/<name>.json`).
export { SKIP_CONNECTION_CONTRACTS } from './contract_cases.js';
export * from './fixture_models.js';

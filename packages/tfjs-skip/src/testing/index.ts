/**
 * Test helpers for layers built with or for tfjs-skip. Framework-agnostic:
 * they throw on failure, so they work under vitest, jest, mocha or node:test.
 */
export { checkLayerContract, ContractViolation, type LayerContract } from './layer_contract.js';

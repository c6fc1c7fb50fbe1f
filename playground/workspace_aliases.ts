import { fileURLToPath } from 'node:url';

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * The workspace packages, resolved to their TypeScript sources: the playground
 * and the browser tests run the library as it is in the tree (no `tsc -b`
 * first, and one copy of every layer class, so `SkipConnection` registers
 * once with TF.js). `tfjs-skip/zoo` and `tfjs-skip/blocks` name the zoo and
 * blocks entry points; `tfjs-skip-data` is the data package's browser-safe
 * entry (its sample files resolve through its `exports`, `sample/*`).
 */
export const workspaceAliases = [
  { find: /^tfjs-skip$/, replacement: repo('packages/tfjs-skip/src/index.ts') },
  { find: /^tfjs-skip\/zoo$/, replacement: repo('packages/tfjs-skip/src/zoo/index.ts') },
  { find: /^tfjs-skip\/blocks$/, replacement: repo('packages/tfjs-skip/src/blocks/index.ts') },
  { find: /^tfjs-skip\/testing$/, replacement: repo('packages/tfjs-skip/src/testing/index.ts') },
  { find: /^tfjs-skip\/kernel-names$/, replacement: repo('packages/tfjs-skip/src/kernel_names.ts') },
  { find: /^tfjs-wasm-train$/, replacement: repo('packages/tfjs-wasm-train/src/index.ts') },
  { find: /^tfjs-skip-backends$/, replacement: repo('packages/backends/src/index.ts') },
  { find: /^tfjs-skip-data$/, replacement: repo('packages/data/src/index.ts') },
  { find: /^tfjs-skip-internals$/, replacement: repo('packages/internals/src/index.ts') },
  { find: /^tfjs-skip-train$/, replacement: repo('packages/train/src/index.ts') },
  { find: /^tfjs-skip-train\/recipes$/, replacement: repo('packages/train/src/recipes/index.ts') },
];

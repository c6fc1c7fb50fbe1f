import { ModelFileError } from './model_file_error.js';

/**
 * Refuses `value` if its objects and arrays nest deeper than `maxDepth`
 * (the top-level object is depth 1). It walks with an explicit stack, never
 * recursion, so it runs before anything recursive (TF.js's config
 * conversion, `fromConfig`, `JSON.stringify`) can overflow the call stack.
 */
export function assertConfigDepth(value: unknown, maxDepth: number, where: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) {
      throw new ModelFileError(
        'too-deep',
        `${where} nests objects and arrays deeper than ${maxDepth} levels (maxConfigDepth)`,
      );
    }
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}

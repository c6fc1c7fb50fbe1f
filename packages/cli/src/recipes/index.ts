/**
 * `tfjs-skip-cli/recipes`, kept for those who import it: the recipes live in
 * `tfjs-skip-train/recipes`, and this is that module.
 */
export * from 'tfjs-skip-train/recipes';

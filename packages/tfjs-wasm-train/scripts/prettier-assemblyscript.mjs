// A Prettier parser for the AssemblyScript kernels in assembly/. AssemblyScript
// is TypeScript's syntax plus decorators on functions (`@inline function f()`),
// which TypeScript's parser refuses. This parser hands Prettier's own
// TypeScript parser the text with each such `@inline` written as the comment
// `/*@inline*/`, and its printer prints that comment back as `@inline`: the
// rest is Prettier's TypeScript formatting, unchanged.
import * as estree from 'prettier/plugins/estree';
import * as typescript from 'prettier/plugins/typescript';

const INLINE = '@inline';
const ESTREE = estree.printers.estree;

/** The source with every `@inline` decorator (the only one assembly/ uses) turned into a block comment. */
function hideDecorators(text) {
  return text.replace(/^([ \t]*)@inline(?=\s)/gm, `$1/*${INLINE}*/`);
}

export const parsers = {
  assemblyscript: {
    ...typescript.parsers.typescript,
    astFormat: 'assemblyscript',
    preprocess: hideDecorators,
  },
};

export const printers = {
  assemblyscript: {
    ...ESTREE,
    printComment(path, options) {
      const comment = path.node;
      return comment.type === 'Block' && comment.value === INLINE ? INLINE : ESTREE.printComment(path, options);
    },
  },
};

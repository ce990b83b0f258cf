/**
 * Type-check JSON values against the panel's interfaces with the TypeScript compiler itself: each
 * value becomes an object literal assigned to a typed constant, so string unions, missing required
 * fields and unknown fields (excess property checks) are all errors, exactly as in the panel's code.
 */
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.resolve(__dirname, '..');
const VIRTUAL = path.join(SRC, '__tests__', '__contract_check__.ts');

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2018,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: [],
  lib: ['lib.es2018.d.ts']
};

/**
 * The compiler's messages for `values` (name -> [TypeScript type, JSON value]); `imports` names the
 * types to import from each module of src/ (e.g. `{ tokens: ['IReport'] }`). Empty when all is well.
 */
export function typeErrors(
  imports: { [module: string]: string[] },
  values: { [name: string]: [string, unknown] }
): string[] {
  const lines = Object.entries(imports).map(
    ([module, names]) => `import { ${names.join(', ')} } from '../${module}';`
  );
  for (const [name, [type, value]] of Object.entries(values)) {
    lines.push(
      `export const ${name.replace(/\W/g, '_')}: ${type} = ${JSON.stringify(value, null, 1)};`
    );
  }
  const text = lines.join('\n');
  const host = ts.createCompilerHost(OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) =>
    path.resolve(file) === VIRTUAL
      ? ts.createSourceFile(file, text, language)
      : getSourceFile(file, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = file => path.resolve(file) === VIRTUAL || fileExists(file);
  const program = ts.createProgram([VIRTUAL], OPTIONS, host);
  const source = program.getSourceFile(VIRTUAL)!;
  return [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source)
  ].map(d => {
    const where =
      d.start !== undefined
        ? source.getLineAndCharacterOfPosition(d.start)
        : null;
    const line = where ? text.split('\n')[where.line].trim().slice(0, 120) : '';
    return `${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n    at: ${line}`;
  });
}

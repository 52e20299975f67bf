import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { CLIENT_PROGRAM } from './client-program.js';

const require = createRequire(import.meta.url);

/** openapi-fetch's type declarations, for a program compiled outside the workspace. */
function openapiFetchTypes(): string {
  const entry = require.resolve('openapi-fetch');
  return join(dirname(entry), 'index.d.mts');
}

/** Writes the types openapi-typescript generates from the document as `api.d.ts` in `folder`. */
export async function generateTypes(document: object, folder: string): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0]);
  const source = astToString(ast);
  writeFileSync(join(folder, 'api.d.ts'), source);
  return source;
}

/** Compiles the client program against `folder/api.d.ts`, strict; answers the diagnostics. */
export function compileClient(folder: string): { errors: string[]; javascript: string } {
  const file = join(folder, 'client.ts');
  writeFileSync(file, CLIENT_PROGRAM);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    paths: { 'openapi-fetch': [openapiFetchTypes()] },
  };
  const program = ts.createProgram([file], options);
  const errors = ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  const javascript = ts.transpileModule(CLIENT_PROGRAM, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  return { errors, javascript };
}

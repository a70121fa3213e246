import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { SpecOperation, SpecType } from '../src/sandbox/discord/spec/spec-type.js';

/**
 * Reads the `Paths` interface that `discord-api-spec` ships as TypeScript and lists every
 * operation with its request and response types. The package's zod schemas are named after
 * those types but carry no route table of their own; this is where the table comes from.
 */
const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);

/** The installed package's version and its TypeScript file (the package exports no package.json). */
export function specPackage(): { version: string; typesPath: string } {
  let root = dirname(fileURLToPath(import.meta.resolve('discord-api-spec')));
  while (!isPackageRoot(root)) {
    if (dirname(root) === root) throw new Error('discord-api-spec: package.json not found');
    root = dirname(root);
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; types: string };
  return { version: manifest.version, typesPath: join(root, manifest.types) };
}

function isPackageRoot(directory: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string }).name ===
      'discord-api-spec'
    );
  } catch {
    return false;
  }
}

export function extractOperations(source: string): SpecOperation[] {
  const file = ts.createSourceFile('discord-api-spec.ts', source, ts.ScriptTarget.Latest, true);
  const paths = file.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === 'Paths',
  );
  if (!paths) throw new Error('discord-api-spec: no `Paths` interface in its TypeScript file');
  const operations: SpecOperation[] = [];
  for (const pathMember of paths.members) {
    if (!ts.isPropertySignature(pathMember) || !pathMember.type || !ts.isTypeLiteralNode(pathMember.type)) continue;
    const path = nameOf(pathMember.name);
    for (const methodMember of pathMember.type.members) {
      const method = ts.isPropertySignature(methodMember) ? nameOf(methodMember.name) : '';
      if (
        !METHODS.has(method) ||
        !ts.isPropertySignature(methodMember) ||
        !methodMember.type ||
        !ts.isTypeLiteralNode(methodMember.type)
      )
        continue;
      operations.push(operationOf(file, method as SpecOperation['method'], path, methodMember.type));
    }
  }
  return operations;
}

function operationOf(
  file: ts.SourceFile,
  method: SpecOperation['method'],
  path: string,
  node: ts.TypeLiteralNode,
): SpecOperation {
  let request: SpecType | null = null;
  const responses: Record<string, SpecType> = {};
  let operationId = '';
  for (const member of node.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = nameOf(member.name);
    // `requestBody?: undefined` is how the spec says "no body".
    if (name === 'requestBody')
      request = member.type.kind === ts.SyntaxKind.UndefinedKeyword ? null : typeOf(file, member.type);
    if (name === 'responses' && ts.isTypeLiteralNode(member.type)) {
      for (const response of member.type.members) {
        if (!ts.isPropertySignature(response) || !response.type) continue;
        responses[nameOf(response.name)] = typeOf(file, response.type);
        // The generator documents each success response as "200 response for <operation id>".
        operationId ||= /\d{3} response for (\w+)/.exec(response.getFullText(file))?.[1] ?? '';
      }
    }
  }
  return { method, path, operationId: operationId || `${method} ${path}`, request, responses };
}

function nameOf(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText();
}

function typeOf(file: ts.SourceFile, node: ts.TypeNode): SpecType {
  if (ts.isParenthesizedTypeNode(node)) return typeOf(file, node.type);
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && !node.typeArguments)
    return { ref: node.typeName.text };
  if (ts.isArrayTypeNode(node)) return { array: typeOf(file, node.elementType) };
  if (ts.isUnionTypeNode(node)) return { union: node.types.map((member) => typeOf(file, member)) };
  if (ts.isLiteralTypeNode(node)) {
    const literal = node.literal;
    if (literal.kind === ts.SyntaxKind.NullKeyword) return { literal: null };
    if (literal.kind === ts.SyntaxKind.TrueKeyword) return { literal: true };
    if (literal.kind === ts.SyntaxKind.FalseKeyword) return { literal: false };
    if (ts.isStringLiteral(literal)) return { literal: literal.text };
    if (ts.isNumericLiteral(literal)) return { literal: Number(literal.text) };
    if (ts.isPrefixUnaryExpression(literal) && ts.isNumericLiteral(literal.operand))
      return { literal: -Number(literal.operand.text) };
  }
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { keyword: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { keyword: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { keyword: 'boolean' };
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
      return { keyword: 'unknown' };
  }
  if (ts.isTypeLiteralNode(node)) return objectOf(file, node);
  return { unsupported: node.getText(file) };
}

function objectOf(file: ts.SourceFile, node: ts.TypeLiteralNode): SpecType {
  const object: Record<string, { type: SpecType; optional: boolean }> = {};
  for (const member of node.members) {
    if (ts.isIndexSignatureDeclaration(member) && node.members.length === 1)
      return { record: typeOf(file, member.type) };
    if (!ts.isPropertySignature(member) || !member.type) return { unsupported: node.getText(file) };
    object[nameOf(member.name)] = { type: typeOf(file, member.type), optional: member.questionToken !== undefined };
  }
  return { object };
}

/** The generated module: one operation per line, so an upgrade of the package diffs readably. */
export function renderOperationsModule(operations: readonly SpecOperation[], version: string): string {
  const lines = operations.map((operation) => `  ${JSON.stringify(operation)},`);
  return [
    `// Generated by \`npm run spec:operations\` from discord-api-spec ${version}. Do not edit.`,
    "import type { SpecOperation } from './spec-type.js';",
    '',
    `export const SPEC_VERSION = '${version}';`,
    '',
    'export const SPEC_OPERATIONS: readonly SpecOperation[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

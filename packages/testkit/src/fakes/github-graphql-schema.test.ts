import { schema as published } from '@octokit/graphql-schema';
import {
  buildSchema,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { GITHUB_GRAPHQL_SUBSET_SDL } from './github-graphql-schema.ts';

const github = buildSchema(published.idl, { assumeValidSDL: true });
const subset = buildSchema(GITHUB_GRAPHQL_SUBSET_SDL);

const kindOf = (t: GraphQLNamedType) =>
  isObjectType(t)
    ? 'object'
    : isInterfaceType(t)
      ? 'interface'
      : isEnumType(t)
        ? 'enum'
        : isInputObjectType(t)
          ? 'input'
          : isScalarType(t)
            ? 'scalar'
            : 'union';

/** Every difference between a type of the subset and GitHub's type of the same name. */
function differences(name: string, ours = subset): string[] {
  const mine = ours.getType(name)!;
  const theirs = github.getType(name);
  if (!theirs) return [`${name}: not in GitHub's schema`];
  if (kindOf(mine) !== kindOf(theirs)) return [`${name}: ${kindOf(mine)} here, ${kindOf(theirs)} at GitHub`];
  const out: string[] = [];
  if ((isObjectType(mine) || isInterfaceType(mine)) && (isObjectType(theirs) || isInterfaceType(theirs))) {
    const theirInterfaces = new Set(theirs.getInterfaces().map((i) => i.name));
    for (const i of mine.getInterfaces())
      if (!theirInterfaces.has(i.name)) out.push(`${name}: does not implement ${i.name} at GitHub`);
    const theirFields = theirs.getFields();
    for (const field of Object.values(mine.getFields())) {
      const other = theirFields[field.name];
      if (!other) {
        out.push(`${name}.${field.name}: no such field at GitHub`);
        continue;
      }
      if (String(field.type) !== String(other.type))
        out.push(`${name}.${field.name}: ${field.type} here, ${other.type} at GitHub`);
      for (const arg of field.args) {
        const otherArg = other.args.find((a) => a.name === arg.name);
        if (!otherArg) out.push(`${name}.${field.name}(${arg.name}): no such argument at GitHub`);
        else if (String(arg.type) !== String(otherArg.type))
          out.push(`${name}.${field.name}(${arg.name}): ${arg.type} here, ${otherArg.type} at GitHub`);
      }
      // A required argument of GitHub's that the subset left out would make our queries invalid there.
      for (const otherArg of other.args)
        if (String(otherArg.type).endsWith('!') && !field.args.some((a) => a.name === otherArg.name))
          out.push(`${name}.${field.name}(${otherArg.name}): required at GitHub, missing here`);
    }
  }
  if (isUnionType(mine) && isUnionType(theirs)) {
    const members = new Set(theirs.getTypes().map((t) => t.name));
    for (const t of mine.getTypes())
      if (!members.has(t.name)) out.push(`${name}: ${t.name} is not a member at GitHub`);
  }
  if (isEnumType(mine) && isEnumType(theirs)) {
    const values = new Set(theirs.getValues().map((v) => v.name));
    for (const v of mine.getValues())
      if (!values.has(v.name)) out.push(`${name}.${v.name}: no such enum value`);
  }
  if (isInputObjectType(mine) && isInputObjectType(theirs)) {
    const theirFields = theirs.getFields();
    for (const field of Object.values(mine.getFields())) {
      const other = theirFields[field.name];
      if (!other || String(field.type) !== String(other.type))
        out.push(`${name}.${field.name}: ${field.type} here, ${other?.type ?? 'absent'} at GitHub`);
    }
  }
  return out;
}

describe('the fake GitHub GraphQL schema', () => {
  const names = Object.keys(subset.getTypeMap()).filter((n) => !n.startsWith('__'));

  it('serves the types the GraphQL collector reads', () => {
    expect(names).toEqual(expect.arrayContaining(['PullRequest', 'PullRequestCommit', 'RateLimit']));
  });

  it("is a subset of GitHub's published schema: same names, types, nullability and arguments", () => {
    expect(names.flatMap((name) => differences(name))).toEqual([]);
  });

  it('the check finds a field whose nullability or arguments differ from GitHub', () => {
    const wrong = buildSchema(
      GITHUB_GRAPHQL_SUBSET_SDL.replace('  number: Int!\n  title', '  number: Int\n  title').replace(
        'labels(after: String, before: String, first: Int, last: Int)',
        'labels(first: Int!)',
      ),
    );
    expect(differences('PullRequest', wrong)).toEqual([
      'PullRequest.number: Int here, Int! at GitHub',
      'PullRequest.labels(first): Int! here, Int at GitHub',
    ]);
  });
});

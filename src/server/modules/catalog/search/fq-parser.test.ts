import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FQ_MAX_DEPTH, FQ_MAX_LENGTH, type FqNode, FqSyntaxError, formatFq, parseFq } from './fq-parser.ts';

const term = (field: string, value: string, exact = false): FqNode => ({ kind: 'term', field, value, exact });
const and = (...children: FqNode[]): FqNode => ({ kind: 'and', children });
const or = (...children: FqNode[]): FqNode => ({ kind: 'or', children });
const not = (child: FqNode): FqNode => ({ kind: 'not', child });

const FIELDS = new Set(['organization', 'tags', 'groups', 'res_format', 'license_id', 'name', 'private']);

function syntaxError(input: string, fields?: ReadonlySet<string>): FqSyntaxError {
  try {
    parseFq(input, fields);
  } catch (err) {
    if (err instanceof FqSyntaxError) return err;
    throw err;
  }
  throw new Error(`no error for ${input}`);
}

describe('parseFq: what CKAN clients send', () => {
  const cases: [string, FqNode | null][] = [
    ['', null],
    ['   ', null],
    ['tags:economy', term('tags', 'economy')],
    ['organization:dept-a +res_format:CSV', and(term('organization', 'dept-a'), term('res_format', 'CSV'))],
    ['-tags:"air quality"', not(term('tags', 'air quality', true))],
    [
      'tags:(a OR b) AND license_id:cc-by',
      and(or(term('tags', 'a'), term('tags', 'b')), term('license_id', 'cc-by')),
    ],
    [
      'metadata_modified:[2020-01-01T00:00:00Z TO *]',
      { kind: 'range', field: 'metadata_modified', from: '2020-01-01T00:00:00Z', to: null },
    ],
    [
      'metadata_modified:[2020-01-01T00:00:00Z TO NOW]',
      { kind: 'range', field: 'metadata_modified', from: '2020-01-01T00:00:00Z', to: 'NOW' },
    ],
    [
      'metadata_created:[* TO "2021-06-30"]',
      { kind: 'range', field: 'metadata_created', from: null, to: '2021-06-30' },
    ],
    ['NOT private:true', not(term('private', 'true'))],
    ['+dataset_type:dataset', term('dataset_type', 'dataset')],
    ['tags:"say \\"hi\\"" name:a\\ b', and(term('tags', 'say "hi"', true), term('name', 'a b'))],
    ['res_format:CSV OR res_format:XLSX', or(term('res_format', 'CSV'), term('res_format', 'XLSX'))],
    // AND binds tighter than OR; adjacency is AND.
    ['a:1 OR b:2 c:3', or(term('a', '1'), and(term('b', '2'), term('c', '3')))],
    ['(a:1 OR b:2) c:3', and(or(term('a', '1'), term('b', '2')), term('c', '3'))],
    ['tags:(a b)', and(term('tags', 'a'), term('tags', 'b'))],
    ['tags:(a OR NOT "b c")', or(term('tags', 'a'), not(term('tags', 'b c', true)))],
    ['tags:(a OR groups:x)', or(term('tags', 'a'), term('groups', 'x'))],
    ['metadata_modified:2020-01-01T00:00:00Z', term('metadata_modified', '2020-01-01T00:00:00Z')],
    ['tags:经济 organization:统计局', and(term('tags', '经济'), term('organization', '统计局'))],
    ['name:*', term('name', '*')],
    ['tags:and', term('tags', 'and')],
    ['ORGANIZATION:x OR NOTE:y', or(term('ORGANIZATION', 'x'), term('NOTE', 'y'))],
    ['\u3000tags:a\tAND\ntags:b ', and(term('tags', 'a'), term('tags', 'b'))],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseFq(input)).toEqual(expected);
  });

  it('checks fields against the allowed set, inside groups too', () => {
    expect(parseFq('tags:a organization:b', FIELDS)).not.toBeNull();
    const err = syntaxError('tags:a colour:red', FIELDS);
    expect(err.position).toBe(7);
    expect(err.message).toContain('Unknown field "colour"');
    expect(err.message).toContain('groups, license_id, name, organization, private, res_format, tags');
    expect(syntaxError('tags:(a OR colour:b)', FIELDS).message).toContain('"colour"');
  });
});

describe('parseFq: errors', () => {
  const errors: [string, number, string][] = [
    ['(tags:a', 0, 'Unbalanced "("'],
    ['tags:a)', 6, 'Unbalanced ")"'],
    ['tags:(a OR b', 5, 'Unbalanced "("'],
    ['tags:"air quality', 5, 'Unbalanced quote'],
    ['tags:"a\\', 5, 'Unbalanced quote'],
    ['tags:[a TO b', 5, 'Unbalanced "["'],
    ['tags:{a TO b}', 5, 'Exclusive ranges'],
    ['tags:[a b]', 8, 'Expected "TO"'],
    ['economy', 0, 'Expected field:value'],
    ['tags:', 5, 'Expected a value for "tags"'],
    ['tags:a AND', 10, 'Expected a clause'],
    ['AND tags:a', 0, 'Unexpected "AND"'],
    ['tags:a OR OR tags:b', 10, 'Unexpected "OR"'],
    ['-', 1, 'Expected a clause'],
    ['tags:a\\', 6, 'Nothing to escape'],
    ['()', 1, 'Expected a clause'],
  ];
  it.each(errors)('%s', (input, position, message) => {
    const err = syntaxError(input);
    expect(err.name).toBe('FqSyntaxError');
    expect(err.position).toBe(position);
    expect(err.message).toContain(message);
  });

  it('limits length and nesting so hostile input cannot exhaust the stack', () => {
    expect(syntaxError('x'.repeat(FQ_MAX_LENGTH + 1)).message).toContain('longer than');
    expect(
      syntaxError(`${'('.repeat(FQ_MAX_DEPTH + 1)}a:b${')'.repeat(FQ_MAX_DEPTH + 1)}`).message,
    ).toContain('deeper');
    expect(syntaxError(`${'NOT '.repeat(900)}a:b`).message).toContain('deeper');
    expect(syntaxError(`${'-'.repeat(3000)}a:b`).message).toContain('deeper');
    expect(syntaxError(`a:${'('.repeat(3000)}`).message).toContain('deeper');
    const deepest = `${'('.repeat(FQ_MAX_DEPTH)}a:b${')'.repeat(FQ_MAX_DEPTH)}`;
    expect(parseFq(deepest)).toEqual(term('a', 'b'));
    const wide = Array.from({ length: 400 }, (_, i) => `t:${i}`).join(' OR ');
    expect((parseFq(wide) as { children: FqNode[] }).children).toHaveLength(400);
  });
});

describe('formatFq', () => {
  it('prints the AST as fq text', () => {
    expect(
      formatFq(and(or(term('tags', 'a'), term('tags', 'b c')), not(term('private', 'true', true)))),
    ).toBe('(tags:a OR tags:b\\ c) AND NOT private:"true"');
    expect(formatFq({ kind: 'range', field: 'm', from: null, to: 'NOW' })).toBe('m:[* TO NOW]');
    expect(formatFq(term('tags', 'OR'))).toBe('tags:\\OR');
  });
});

// Arbitrary ASTs (within the depth limit) with values full of syntax characters.
const fieldArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
const valueUnit = fc.oneof(
  fc.constantFrom(...' \t\n"\\():[]{}*+-!&|^~?/\'', 'AND', 'OR', 'NOT', 'TO', 'NOW'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
);
const valueArb = (minLength: number) => fc.string({ unit: valueUnit, minLength, maxLength: 6 });
const { node: nodeArb } = fc.letrec<{ node: FqNode }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 5, depthSize: 'small' },
    fc.record({
      kind: fc.constant('term' as const),
      field: fieldArb,
      value: valueArb(1),
      exact: fc.constant(false),
    }),
    fc.record({
      kind: fc.constant('term' as const),
      field: fieldArb,
      value: valueArb(0),
      exact: fc.constant(true),
    }),
    fc.record({
      kind: fc.constant('range' as const),
      field: fieldArb,
      from: fc.option(valueArb(0)),
      to: fc.option(valueArb(0)),
    }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      children: fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant('not' as const), child: tie('node') }),
  ),
}));

// Near-valid fq (pieces of real syntax in random order) and plain noise.
const clauseLike = fc.string({
  unit: fc.constantFrom(
    'tags:a',
    'tags:(',
    'x',
    '"q \\" r"',
    'm:[2020-01-01T00:00:00Z TO NOW]',
    '[* TO b]',
    '(',
    ')',
    ' ',
    ' AND ',
    ' OR ',
    'NOT ',
    '-',
    '+',
    ':',
    '\\',
  ),
  maxLength: 12,
});
const noise = fc.string({
  unit: fc.oneof(fc.constantFrom(...'()"\\:[]{} -+*'), fc.string({ unit: 'binary', maxLength: 2 })),
  maxLength: 30,
});

describe('fq properties', () => {
  it('parse(format(ast)) equals ast', () => {
    fc.assert(
      fc.property(nodeArb, (ast) => {
        expect(parseFq(formatFq(ast))).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but FqSyntaxError, and what parses survives a format round trip', () => {
    fc.assert(
      fc.property(fc.oneof(clauseLike, noise), (input) => {
        let ast: FqNode | null;
        try {
          ast = parseFq(input);
        } catch (err) {
          if (!(err instanceof FqSyntaxError)) throw err;
          expect(err.position).toBeGreaterThanOrEqual(0);
          expect(err.position).toBeLessThanOrEqual(input.length);
          return;
        }
        if (ast) expect(parseFq(formatFq(ast))).toEqual(ast);
      }),
      { numRuns: 3000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { jsonBytes, RenderedJson } from './rendered-json.ts';

describe('rendered JSON', () => {
  it('is spliced into the answer around it as it was rendered', () => {
    const a = RenderedJson.of({ title: '空气质量', n: 1 });
    const b = RenderedJson.of(['x', null]);
    const answer = { help: 'h', result: { count: 2, results: [a, b], nested: { one: a } } };
    const bytes = jsonBytes(answer);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({
      help: 'h',
      result: {
        count: 2,
        results: [{ title: '空气质量', n: 1 }, ['x', null]],
        nested: { one: { title: '空气质量', n: 1 } },
      },
    });
  });

  it('leaves text that merely resembles a mark alone', () => {
    const text = '\u0000rendered-json-not-the-mark';
    const bytes = jsonBytes({ text, value: RenderedJson.of(1) });
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ text, value: 1 });
  });

  it('serialises as its value anywhere else', () => {
    expect(JSON.stringify({ v: RenderedJson.of({ a: [1, 2] }) })).toBe('{"v":{"a":[1,2]}}');
    expect(jsonBytes({ plain: 'é' }).toString('utf8')).toBe('{"plain":"é"}');
  });
});

import { describe, expect, it } from 'vitest';
import { mergeTarget, personRefine } from './personQuery';

describe('personRefine', () => {
  it('uses the facet refine when there is one', () => {
    expect(personRefine({ id: 3, name: 'Ana' }, [{ value: 'Ana', count: 2, refine: 'person:"Ana"' }])).toBe('person:"Ana"');
  });
  it('quotes a name with spaces and quotes', () => {
    expect(personRefine({ id: 3, name: 'Ana "Mia" Lee' })).toBe('person:"Ana \\"Mia\\" Lee"');
  });
  it('falls back to the id for an unnamed person', () => {
    expect(personRefine({ id: 42, name: null })).toBe('person:"#42"');
  });
});

describe('mergeTarget', () => {
  const p = (id: number, name: string | null, faces: number) => ({ id, name, faces });
  it('prefers the first selected named person', () => {
    expect(mergeTarget([p(1, null, 90), p(2, 'Bo', 3), p(3, 'Ana', 50)])?.id).toBe(2);
  });
  it('else takes the largest', () => {
    expect(mergeTarget([p(1, null, 9), p(2, null, 30)])?.id).toBe(2);
    expect(mergeTarget([])).toBeNull();
  });
});

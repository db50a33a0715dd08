import { describe, expect, it } from 'vitest';
import { aspectRatio, defaultForm, parseAspect, parseFocus, parseWidths, toSettings } from './exportSettings';

describe('export settings', () => {
  it('parses aspects', () => {
    expect(parseAspect('16:9')).toBe('16:9');
    expect(parseAspect(' 4 x 5 ')).toBe('4:5');
    expect(parseAspect('0:1')).toBeNull();
    expect(parseAspect('wide')).toBeNull();
    expect(aspectRatio('3:1')).toBe(3);
  });

  it('parses widths', () => {
    expect(parseWidths('1024')).toEqual([1024]);
    expect(parseWidths('2048, 1024 1024')).toEqual([1024, 2048]);
    expect(parseWidths('')).toBeNull();
    expect(parseWidths('1024, big')).toBeNull();
  });

  it('builds settings from the defaults', () => {
    const { settings, errors } = toSettings({ ...defaultForm(), out: '/tmp/x' });
    expect(errors).toEqual([]);
    expect(settings).toMatchObject({
      widths: [1024],
      focus: 'largest',
      padding: 0.3,
      zoom: 1,
      fill: null,
      template: '{stem}_{aspect}_{w}.{ext}',
      out: '/tmp/x',
    });
  });

  it('adds custom aspects, a person focus and the fill colour', () => {
    const { settings } = toSettings({ ...defaultForm(), aspects: ['1:1'], custom: '5:4, 1:1', focus: 7, fillOn: true, fill: '#FFAA00' });
    expect(settings?.aspects).toEqual(['1:1', '5:4']);
    expect(settings?.focus).toEqual({ person: 7 });
    expect(settings?.fill).toBe('#ffaa00');
  });

  it('passes a body or object focus by name, and reads a person id as a number', () => {
    expect(toSettings({ ...defaultForm(), focus: 'person' }).settings?.focus).toBe('person');
    expect(toSettings({ ...defaultForm(), focus: 'object:bag' }).settings?.focus).toBe('object:bag');
    expect(parseFocus('12')).toBe(12);
    expect(parseFocus('object:handbag')).toBe('object:handbag');
    expect(parseFocus('all')).toBe('all');
  });

  it('explains what is wrong', () => {
    const { settings, errors } = toSettings({ ...defaultForm(), aspects: [], custom: 'x', widths: 'a' });
    expect(settings).toBeNull();
    expect(errors).toHaveLength(3);
  });
});

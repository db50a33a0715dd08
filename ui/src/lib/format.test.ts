import { describe, expect, it } from 'vitest';
import { bytes, count, etaLabel, monthLabel, shutter, stageLabel, takenLabel } from './format';

describe('format', () => {
  it('labels month groups', () => {
    expect(monthLabel('2024-11')).toBe('November 2024');
    expect(monthLabel('')).toBe('No date');
  });

  it('names job stages in words', () => {
    expect(stageLabel('discover')).toBe('Discovering files');
    expect(stageLabel('reconcile')).toBe('Matching moves');
    expect(stageLabel('analyze')).toBe('Analysing');
    // Not a stage the app sends (JobStage is generated from the Rust enum): shown as it came.
    expect(stageLabel('cluster')).toBe('cluster');
  });

  it('says how long is left', () => {
    expect(etaLabel(null)).toBe('');
    expect(etaLabel(5)).toBe('a few seconds left');
    expect(etaLabel(45)).toBe('less than a minute left');
    expect(etaLabel(130)).toBe('about 2 min left');
    expect(etaLabel(3 * 3600 + 600)).toBe('about 3 h 10 min left');
  });

  it('formats exposure, sizes, counts and dates', () => {
    expect(shutter(0.004)).toBe('1/250 s');
    expect(shutter(2)).toBe('2 s');
    expect(bytes(3_400_000)).toBe('3.2 MB');
    expect(count(1234567)).toBe('1,234,567');
    expect(takenLabel('2024-11-03T14:22:05')).toBe('3 November 2024, 14:22');
  });
});

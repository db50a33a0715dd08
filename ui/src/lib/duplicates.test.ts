import { describe, expect, it } from 'vitest';
import type { DuplicateGroup, DuplicateMember, Photo } from './api';
import { groupKey, keepTooltip, memberFacts, otherPaths, othersOf } from './duplicates';

function photo(id: number, over: Partial<Photo> = {}): Photo {
  return {
    id,
    library_id: 1,
    path: `/lib/${id}.jpg`,
    file_name: `${id}.jpg`,
    size: 2_000_000,
    mtime_ns: 0,
    hash: `h${id}`,
    status: 'ok',
    error: null,
    format: 'jpeg',
    width: 4000,
    height: 3000,
    orientation: null,
    pixel_source: null,
    other_images: 0,
    shot_of: null,
    stack_kind: null,
    added_at: 0,
    updated_at: 0,
    taken_at: '2024-11-03T14:22:05',
    taken_offset: null,
    camera_make: null,
    camera_model: null,
    lens: null,
    focal_length: null,
    focal_length_35mm: null,
    aperture: null,
    exposure_time: null,
    iso: null,
    gps_lat: null,
    gps_lon: null,
    gps_alt: null,
    ...over,
  };
}

function member(p: Photo, sharpness = 120.4): DuplicateMember {
  return { photo: p, sharpness, similarity: 1, same_content: false };
}

const group: DuplicateGroup = {
  kind: 'near',
  keep_because: 'pixels',
  members: [
    member(photo(7)),
    member(photo(3, { width: 2000, height: 1500, size: 400_000, path: '/lib/small copy.jpg' }), 80),
  ],
};

describe('duplicates', () => {
  it('marks the facts that tell the members apart', () => {
    const [best, copy] = memberFacts(group);
    expect(best.map((f) => f.key)).toEqual(['pixels', 'format', 'size', 'taken', 'sharpness']);
    expect(best[0]).toMatchObject({ label: 'Pixels', value: '4000 × 3000', differs: true });
    expect(copy[0]).toMatchObject({ value: '2000 × 1500', differs: true });
    expect(copy[1]).toMatchObject({ value: 'JPEG', differs: false });
    expect(copy[2]).toMatchObject({ value: '391 KB', differs: true });
    expect(copy[3]).toMatchObject({ value: '3 November 2024, 14:22', differs: false });
    expect(best[4]).toMatchObject({ value: '120', differs: true });
  });

  it('says what is missing rather than leaving a blank', () => {
    const bare: DuplicateGroup = {
      ...group,
      members: [member(photo(1, { width: null, format: null, taken_at: null })), member(photo(2))],
    };
    const [facts] = memberFacts(bare);
    expect(facts.map((f) => f.value)).toEqual(['unknown', 'unknown', '1.9 MB', 'no date', '120']);
  });

  it('explains the suggestion with the rule that decided', () => {
    expect(keepTooltip(group)).toMatch(/^Suggested to keep: the most pixels\. The photo to keep has/);
  });

  it('lists the others of the photo kept, and their paths for the clean-up', () => {
    expect(othersOf(group, 7)).toEqual([3]);
    expect(othersOf(group, 3)).toEqual([7]);
    expect(otherPaths([{ group, keep: 7 }])).toBe('/lib/small copy.jpg');
    expect(otherPaths([{ group, keep: 3 }, { group, keep: 7 }])).toBe('/lib/7.jpg\n/lib/small copy.jpg');
    expect(groupKey(group)).toBe('3,7');
  });
});

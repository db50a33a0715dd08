// Formatting for display: month headers, job stages and ETAs, sizes, exposure values, dates.
// Pure functions, no locale surprises (English UI, numbers with thin grouping).

import type { JobStage } from './api';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2024-11" → "November 2024"; "" → "No date". */
export function monthLabel(key: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return key ? key : 'No date';
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${month} ${m[1]}` : key;
}

export const STAGE_LABELS: Record<JobStage, string> = {
  discover: 'Discovering files',
  read: 'Reading photos',
  reconcile: 'Matching moves',
  analyze: 'Analysing',
  export: 'Exporting',
  sidecars: 'Writing sidecars',
};

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage as JobStage] ?? stage;
}

/** Seconds left as words: "about 2 min left". */
export function etaLabel(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `about ${h} h ${m} min left` : `about ${h} h left`;
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 photo", "2 photos". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Exposure time in seconds → "1/250 s", "0.5 s" → "1/2 s", "2 s". */
export function shutter(t: number): string {
  if (!(t > 0)) return '';
  if (t >= 1) return `${Number.isInteger(t) ? t : t.toFixed(1)} s`;
  return `1/${Math.round(1 / t)} s`;
}

export function aperture(f: number): string {
  return `f/${Number.isInteger(f) ? f : f.toFixed(1)}`;
}

export function focal(mm: number, mm35: number | null): string {
  const base = `${Math.round(mm * 10) / 10} mm`;
  return mm35 && Math.round(mm35) !== Math.round(mm) ? `${base} (${Math.round(mm35)} mm equiv.)` : base;
}

/** "2024-11-03T14:22:05" (any offset ignored: the photo's local time) → "3 November 2024, 14:22". */
export function takenLabel(taken: string | null, offset?: string | null): string {
  if (!taken) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(taken);
  if (!m) return taken;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  const time = m[4] ? `, ${m[4]}:${m[5]}` : '';
  return `${Number(m[3])} ${month} ${m[1]}${time}${offset ? ` (UTC${offset})` : ''}`;
}

export function gpsLabel(lat: number, lon: number, alt: number | null): string {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  const base = `${Math.abs(lat).toFixed(5)}° ${ns}, ${Math.abs(lon).toFixed(5)}° ${ew}`;
  return alt != null ? `${base}, ${Math.round(alt)} m` : base;
}

/** 0.873 → "87 %" (with a no-break space). */
export function percent(score: number): string {
  return `${Math.round(score * 100)}\u00a0%`;
}

/** Attribute and label names for people: "eyes_open" → "eyes open". */
export function humanize(name: string): string {
  return name.replace(/_/g, ' ');
}

export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

// The export dialog's form and its translation into ExportSettings: aspect and width parsing,
// defaults, validation messages. Pure.

import type { ExportSettings } from './api';

export const ASPECTS = ['3:1', '2:1', '16:9', '3:2', '4:3', '1:1', '4:5', '2:3', '9:16'];

export interface ExportForm {
  aspects: string[];
  /** Extra aspects typed as "W:H" (comma-separated). */
  custom: string;
  /** Output widths, comma-separated. */
  widths: string;
  /** 'largest' (face), 'all' (faces), 'person' (the largest whole body), 'object:CLASS', or a person id. */
  focus: FocusName | number;
  format: ExportSettings['format'];
  quality: number;
  padding: number;
  zoom: number;
  fillOn: boolean;
  fill: string;
  template: string;
  keep_metadata: boolean;
  upscale: boolean;
  out: string;
}

export type FocusName = 'largest' | 'all' | 'person' | `object:${string}`;

/** Objects a crop can centre on (a COCO class or group, as the backend names them). */
export const FOCUS_OBJECTS = ['bag', 'handbag', 'backpack', 'suitcase', 'phone', 'umbrella', 'tie', 'bottle', 'cup', 'laptop', 'dog', 'cat', 'car', 'bicycle'];

/** The form's focus from a select value: a person id is a number, the rest are names. */
export function parseFocus(value: string): FocusName | number {
  return /^\d+$/.test(value) ? Number(value) : (value as FocusName);
}

export const DEFAULT_TEMPLATE = '{stem}_{aspect}_{w}.{ext}';

export function defaultForm(): ExportForm {
  return {
    aspects: ['16:9', '1:1', '4:5'],
    custom: '',
    widths: '1024',
    focus: 'largest',
    format: 'jpeg',
    quality: 90,
    padding: 0.3,
    zoom: 1,
    fillOn: false,
    fill: '#000000',
    template: DEFAULT_TEMPLATE,
    keep_metadata: false,
    upscale: false,
    out: '',
  };
}

/** "16:9", "16x9", " 4 : 5 " → "16:9" form; null when not a ratio of two positive whole numbers. */
export function parseAspect(text: string): string | null {
  const m = /^\s*(\d{1,5})\s*[:x×/]\s*(\d{1,5})\s*$/i.exec(text);
  if (!m) return null;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? `${w}:${h}` : null;
}

/** Width ÷ height of an aspect string (1 when it does not parse). */
export function aspectRatio(aspect: string): number {
  const a = parseAspect(aspect);
  if (!a) return 1;
  const [w, h] = a.split(':').map(Number);
  return w / h;
}

/** "1024, 2048" → [1024, 2048] (sorted, unique); null when empty or any entry is not a width. */
export function parseWidths(text: string): number[] | null {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const out = new Set<number>();
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return null;
    const n = Number(p);
    if (n < 16 || n > 20000) return null;
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/** All aspects asked for: the ticked ones, then the custom ones; null entries are invalid customs. */
export function formAspects(form: ExportForm): { aspects: string[]; invalid: string[] } {
  // The preset aspects in their fixed order (wide to tall), whatever order they were ticked in.
  const aspects = ASPECTS.filter((a) => form.aspects.includes(a)).concat(form.aspects.filter((a) => !ASPECTS.includes(a)));
  const invalid: string[] = [];
  for (const part of form.custom.split(',').map((p) => p.trim()).filter(Boolean)) {
    const a = parseAspect(part);
    if (!a) invalid.push(part);
    else if (!aspects.includes(a)) aspects.push(a);
  }
  return { aspects, invalid };
}

/** The settings for the form, or the reasons it cannot be used yet. */
export function toSettings(form: ExportForm): { settings: ExportSettings | null; errors: string[] } {
  const errors: string[] = [];
  const { aspects, invalid } = formAspects(form);
  if (invalid.length) errors.push(`Not an aspect: ${invalid.join(', ')} (use W:H, e.g. 5:4)`);
  if (!aspects.length) errors.push('Choose at least one aspect.');
  const widths = parseWidths(form.widths);
  if (!widths) errors.push('Widths: whole numbers of pixels separated by commas, e.g. 1024, 2048.');
  if (!form.template.trim()) errors.push('The file name template is empty.');
  if (form.fillOn && !/^#[0-9a-f]{6}$/i.test(form.fill)) errors.push('The fill colour must be #rrggbb.');
  if (errors.length || !widths) return { settings: null, errors };
  return {
    settings: {
      aspects,
      widths,
      focus: typeof form.focus === 'number' ? { person: form.focus } : form.focus,
      format: form.format,
      quality: Math.round(Math.min(100, Math.max(1, form.quality))),
      padding: form.padding,
      zoom: form.zoom,
      fill: form.fillOn ? form.fill.toLowerCase() : null,
      template: form.template.trim(),
      keep_metadata: form.keep_metadata,
      upscale: form.upscale,
      out: form.out.trim(),
    },
    errors: [],
  };
}

/** What a crop's fit means, for the preview. */
export function fitNote(fit: string): { text: string; warn: boolean } | null {
  switch (fit) {
    case 'reduced_padding':
      return { text: 'tight', warn: false };
    case 'focus_cut':
      return { text: 'face cut', warn: true };
    case 'filled':
      return { text: 'filled', warn: false };
    case 'no_focus':
      return { text: 'no focus', warn: false };
    default:
      return null;
  }
}

// The contract between the front end and the app (src-tauri/src/commands.rs): every command the UI may
// call, every event it listens to, and the shapes they carry. Field names are the Rust side's (snake_case);
// command arguments are camelCase (Tauri maps them). Images never travel over IPC: they are URLs of the
// app's `argus:` scheme (see `mediaUrl`), served from the cache and the added libraries only.

import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

// ---------- libraries, jobs, progress ----------

export interface LibraryInfo {
  path: string;
  photos: number;
  /** false when the folder is not there (unplugged disk): its photos are kept. */
  online: boolean;
}

export interface Stats {
  photos: number;
  faces: number;
  people: number;
  errors: number;
  unsupported: number;
}

export interface AppState {
  catalog: string;
  cache: string;
  models: { ready: boolean; missing: string[]; folder: string };
  libraries: LibraryInfo[];
  stats: Stats;
  /** The job running now, if any. */
  job: JobProgress | null;
}

export type JobKind = 'scan' | 'export';
export type JobStage = 'discover' | 'read' | 'reconcile' | 'analyze' | 'cluster' | 'export';

/** Sent as the `job-progress` event, at most ~10 times a second. */
export interface JobProgress {
  kind: JobKind;
  stage: JobStage;
  done: number;
  /** null while unknown (discovering). */
  total: number | null;
  eta_seconds: number | null;
  /** The file last finished. */
  current: string | null;
}

/** Sent as the `job-finished` event. */
export interface JobFinished {
  kind: JobKind;
  cancelled: boolean;
  /** One line, e.g. "20 new, 20 analysed, 34 faces" or "24 crops written, 0 unchanged". */
  summary: string;
  problems: Problem[];
  /** Export: the folder written to (can be opened with openFolder). */
  output: string | null;
  /** Export: crops written + unchanged. */
  files: number;
}

export interface Problem {
  path: string;
  /** Analysis stage, "read" for files that could not be catalogued, "export" for exports. */
  stage: string;
  reason: string;
}

/** `catalog-changed`: the watcher applied a batch, a job committed, or people were edited. */
export interface CatalogChanged {
  reason: string;
}

// ---------- search ----------

export type Sort = 'taken' | 'added' | 'faces' | 'name';

export interface Hit {
  id: number;
  path: string;
  taken_at: string | null;
  faces: number;
}

export interface FacetValue {
  value: string;
  count: number;
  /** The query text that adds this value: `label:cat`, `person:"Ana"`, `age:>=20 age:<30`, `beard`. */
  refine: string;
}

export type FacetName =
  | 'person'
  | 'attribute'
  | 'label'
  | 'emotion'
  | 'age'
  | 'camera'
  | 'lens'
  | 'year'
  | 'format';

export type Facets = Record<FacetName, FacetValue[]>;

/** A run of photos with the same month taken (sort "taken" only), in result order. */
export interface Group {
  /** "2024-11", or "" for photos without a date (always last). */
  key: string;
  count: number;
}

export interface SearchPage {
  total: number;
  offset: number;
  hits: Hit[];
  facets: Facets | null;
  /** Month groups of the whole result when sort is "taken" and groups were asked for; else null. */
  groups: Group[] | null;
  /** When nothing was found: which terms find nothing on their own, with the nearest known value. */
  notes: string[];
}

export interface QueryError {
  message: string;
  /** Byte span in the query (the UI maps it to characters: queries are mostly ASCII; see queryErrorRange). */
  span: { start: number; end: number };
  line: number;
  column: number;
  hint: string | null;
}

/** Every command rejects with this. `query` is set when the query did not parse. */
export interface CommandError {
  message: string;
  query: QueryError | null;
}

export interface SearchRequest {
  query: string | null;
  sort: Sort;
  offset: number;
  limit: number;
  facets: boolean;
  groups: boolean;
}

// ---------- photo ----------

export interface FaceAttribute {
  value: boolean | string | number;
  score?: number;
  confidence?: number;
  /** emotion: every class's probability. */
  scores?: Record<string, number>;
  model_version: string;
}

export interface FaceView {
  id: number;
  /** Normalised (0..1) to the upright photo. */
  box: { x: number; y: number; w: number; h: number };
  score: number;
  landmarks: Record<string, [number, number]>;
  person_id: number | null;
  has_embedding: boolean;
  /** gender, age, emotion, smile, beard, mustache, eyeglasses, sunglasses, hat, eyes_open, mouth_open, sharpness … */
  attributes: Record<string, FaceAttribute>;
  model_version: string;
}

export interface PhotoDetail {
  id: number;
  path: string;
  file_name: string;
  size: number;
  status: 'ok' | 'error' | 'unsupported';
  error: string | null;
  format: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  taken_at: string | null;
  taken_offset: string | null;
  camera_make: string | null;
  camera_model: string | null;
  lens: string | null;
  focal_length: number | null;
  focal_length_35mm: number | null;
  aperture: number | null;
  exposure_time: number | null;
  iso: number | null;
  gps_lat: number | null;
  gps_lon: number | null;
  gps_alt: number | null;
  faces: FaceView[];
  unsafe: { score: number; model_version: string } | null;
  text: { text: string; score: number; quad: [number, number][] }[];
  labels: { kind: 'label' | 'class'; name: string; score: number }[];
  analysis_runs: { stage: string; model_version: string; error: string | null }[];
  /** Names of the people its faces belong to (id → name; null when unnamed). */
  people: Record<string, string | null>;
}

// ---------- people ----------

export interface Person {
  id: number;
  name: string | null;
  hidden: boolean;
  cover_face_id: number | null;
  cover_chosen: boolean;
  faces: number;
  confirmed_faces: number;
  photos: number;
}

export interface PersonFace {
  face_id: number;
  photo_id: number;
  path: string;
  /** x, y, w, h normalised to the upright photo. */
  bbox: [number, number, number, number];
  score: number;
  confirmed: boolean;
}

export interface FaceSuggestion extends PersonFace {
  similarity: number;
}

// ---------- export ----------

export type FocusSetting = 'largest' | 'all' | { person: number };

export interface ExportSettings {
  /** "3:1", "16:9", "1:1" … */
  aspects: string[];
  /** Output widths in pixels (one crop per aspect × width). */
  widths: number[];
  focus: FocusSetting;
  format: 'jpeg' | 'webp' | 'png';
  quality: number;
  /** Space kept around the faces, as a fraction of the face box (the CLI's default is 0.3). */
  padding: number;
  /** 1 = the largest crop of the aspect; larger zooms in around the faces. */
  zoom: number;
  /** "#rrggbb" to fill instead of cutting a face that does not fit; null = never fill. */
  fill: string | null;
  template: string;
  keep_metadata: boolean;
  upscale: boolean;
  /** The export folder (absolute). */
  out: string;
}

export interface PreviewCrop {
  aspect: string;
  /** In the upright photo's pixels (may reach outside it when filled). */
  rect: { x: number; y: number; w: number; h: number };
  fit: 'padded' | 'reduced_padding' | 'focus_cut' | 'filled' | 'no_focus';
  /** Output size for the first width. */
  size: [number, number];
}

export interface PreviewPhoto {
  photo_id: number;
  width: number;
  height: number;
  /** Which faces the crops keep (catalogue ids) and, for `content`, why no face was used. */
  focus: {
    source: 'largest_face' | 'all_faces' | 'person' | 'content';
    faces: number[];
    rect: { x: number; y: number; w: number; h: number } | null;
    why?: string;
  };
  crops: PreviewCrop[];
}

export type ExportSelection = { ids: number[] } | { query: string };

// ---------- commands ----------

export const api = {
  appState: () => invoke<AppState>('app_state'),
  addLibrary: (path: string) => invoke<LibraryInfo[]>('add_library', { path }),
  removeLibrary: (path: string) => invoke<LibraryInfo[]>('remove_library', { path }),
  /** Scan all libraries, then analyse and group faces (also "resume" after a pause). */
  startScan: (retryErrors = false) => invoke<void>('start_scan', { retryErrors }),
  /** Stop the running job after the files in progress (pause: everything done is kept). */
  cancelJob: (kind: JobKind) => invoke<void>('cancel_job', { kind }),
  problems: () => invoke<Problem[]>('problems'),

  search: (request: SearchRequest) => invoke<SearchPage>('search', { request }),
  photo: (id: number) => invoke<PhotoDetail>('photo_detail', { id }),

  people: (includeHidden: boolean) => invoke<Person[]>('people', { includeHidden }),
  personFaces: (personId: number) => invoke<PersonFace[]>('person_faces', { personId }),
  renamePerson: (personId: number, name: string | null) =>
    invoke<void>('rename_person', { personId, name }),
  mergePeople: (into: number, others: number[]) => invoke<void>('merge_people', { into, others }),
  /** Moves faces to a new person (named or not); returns its id. */
  splitPerson: (personId: number, faces: number[], name: string | null) =>
    invoke<number>('split_person', { personId, faces, name }),
  /** "Not this person": the faces leave their person and never return to it. */
  rejectFaces: (faces: number[]) => invoke<void>('reject_faces', { faces }),
  /** "Not this person" for suggested faces: remembered, never suggested for this person again. */
  rejectSuggestions: (personId: number, faces: number[]) =>
    invoke<void>('reject_suggestions', { personId, faces }),
  hidePerson: (personId: number, hidden: boolean) => invoke<void>('hide_person', { personId, hidden }),
  /** Makes one of the person's faces their cover. */
  setCover: (personId: number, faceId: number) => invoke<void>('set_cover', { personId, faceId }),
  /** Puts faces on a person (confirmed). personId null with a name: a new person of that name. */
  assignFaces: (faces: number[], personId: number | null, name: string | null) =>
    invoke<number>('assign_faces', { faces, personId, name }),
  suggestions: (personId: number) => invoke<FaceSuggestion[]>('suggestions', { personId }),

  exportPreview: (ids: number[], settings: ExportSettings) =>
    invoke<PreviewPhoto[]>('export_preview', { ids, settings }),
  startExport: (selection: ExportSelection, settings: ExportSettings) =>
    invoke<void>('start_export', { selection, settings }),
  /** Default export folder suggestion (~/Pictures/Argus exports). */
  defaultExportFolder: () => invoke<string>('default_export_folder'),
  /** Opens a folder an export of this session wrote to, in the file manager. */
  openFolder: (path: string) => invoke<void>('open_folder', { path }),
  /** Tells the app the grid painted its first cells ('grid'), then their thumbnails ('thumbnails'). */
  firstPaint: (stage: 'grid' | 'thumbnails') => invoke<void>('first_paint', { stage }),
};

// ---------- events ----------

export const events = {
  jobProgress: (f: (p: JobProgress) => void): Promise<UnlistenFn> =>
    listen<JobProgress>('job-progress', (e) => f(e.payload)),
  jobFinished: (f: (p: JobFinished) => void): Promise<UnlistenFn> =>
    listen<JobFinished>('job-finished', (e) => f(e.payload)),
  catalogChanged: (f: (p: CatalogChanged) => void): Promise<UnlistenFn> =>
    listen<CatalogChanged>('catalog-changed', (e) => f(e.payload)),
};

// ---------- images ----------

/**
 * URL of an image served by the app's `argus:` scheme:
 * - `thumb/ID` (256 px) and `thumb/ID/large` (512 px): a photo's cached thumbnail;
 * - `image/ID`: the photo itself when the webview can show its format, else the large thumbnail;
 * - `face/ID`: a square crop around one face (people view).
 * Anything else, or a photo outside the added libraries, is refused (403/404).
 */
export function mediaUrl(path: string): string {
  return convertFileSrc(path, 'argus');
}

export const thumbUrl = (photoId: number, large = false) =>
  mediaUrl(large ? `thumb/${photoId}/large` : `thumb/${photoId}`);
export const imageUrl = (photoId: number) => mediaUrl(`image/${photoId}`);
export const faceUrl = (faceId: number) => mediaUrl(`face/${faceId}`);

export function errorMessage(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) return String((e as CommandError).message);
  return String(e);
}

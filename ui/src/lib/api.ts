// The contract between the front end and the app (src-tauri/src/commands.rs): every command the UI may
// call and every event it listens to. The shapes they carry are generated from the Rust types into
// ./bindings.ts (`cargo test -p argus-app --test contract` checks it; ARGUS_UPDATE_SNAPSHOTS=1 rewrites
// it): never declare them here. Field names are the Rust side's (snake_case); command arguments are
// camelCase (Tauri maps them); the command names are checked against the app's by the same test.
// Images never travel over IPC: they are URLs of the app's `argus:` scheme (see `mediaUrl`), served
// from the cache and the added libraries only.

import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AppInfo,
  Assigned,
  CatalogChanged,
  CommandError,
  DuplicatesView,
  ExportSelection,
  ExportSettings,
  FaceBox,
  FaceSuggestion,
  FaceView,
  Facets,
  JobFinished,
  JobKind,
  JobProgress,
  LibraryInfo,
  Person,
  PersonFace,
  PhotoView,
  PreviewPhoto,
  Problem,
  SearchPage,
  SearchRequest,
  SidecarSettingsInfo,
  SimilarPhotos,
} from './bindings';

export type * from './bindings';

// ---------- UI-side names for parts of the generated types ----------

/** The facets a search counts (the fields of `Facets`). */
export type FacetName = keyof Facets;

/** One face attribute of the photo view (gender, age, emotion, a probe …). */
export type FaceAttribute = FaceView['attributes'][string];

// ---------- commands ----------

export const api = {
  appState: () => invoke<AppInfo>('app_state'),
  addLibrary: (path: string) => invoke<LibraryInfo[]>('add_library', { path }),
  removeLibrary: (path: string) => invoke<LibraryInfo[]>('remove_library', { path }),
  /** Scan all libraries, then analyse and group faces (also "resume" after a pause). */
  startScan: (retryErrors = false) => invoke<void>('start_scan', { retryErrors }),
  /** Stop the running job after the files in progress (pause: everything done is kept). */
  cancelJob: (kind: JobKind) => invoke<void>('cancel_job', { kind }),
  problems: () => invoke<Problem[]>('problems'),

  search: (request: SearchRequest) => invoke<SearchPage>('search', { request }),
  photo: (id: number) => invoke<PhotoView>('photo_detail', { id }),

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
    invoke<Assigned>('assign_faces', { faces, personId, name }),
  suggestions: (personId: number) => invoke<FaceSuggestion[]>('suggestions', { personId }),
  /** Draws a face the detector missed and names it; the new face's id. */
  addFace: (photoId: number, area: FaceBox, name: string) =>
    invoke<number>('add_face', { photoId, area, name }),
  removeFace: (faceId: number) => invoke<void>('remove_face', { faceId }),

  /** The photos most like one photo, most alike first (`described` false: not analysed yet). */
  similarPhotos: (photoId: number, limit: number) =>
    invoke<SimilarPhotos>('similar_photos', { photoId, limit }),
  /** The duplicate groups (best photo first) and the stacks made so far. */
  duplicates: (bursts: boolean) => invoke<DuplicatesView>('duplicates', { bursts }),
  /** Keeps one photo and stacks the others behind it (out of the grid; no file is touched). */
  stackDuplicates: (keep: number, others: number[]) =>
    invoke<number>('stack_duplicates', { keep, others }),
  /** Back to the grid: a stacked photo, or for a kept photo its whole stack. */
  unstack: (photoId: number) => invoke<number>('unstack', { photoId }),
  /** "Not duplicates": never grouped together again. */
  dismissDuplicates: (photos: number[]) => invoke<number>('dismiss_duplicates', { photos }),

  sidecarSettings: () => invoke<SidecarSettingsInfo>('sidecar_settings'),
  setSidecarSettings: (settings: SidecarSettingsInfo) =>
    invoke<void>('set_sidecar_settings', { settings }),

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

// Generated from the Rust types by `cargo test -p argus-app --test contract` (ts-rs); do not edit.
// Regenerate: ARGUS_UPDATE_SNAPSHOTS=1 cargo test -p argus-app --test contract
// Field names are the Rust side's (snake_case). ui/src/lib/api.ts re-exports what the UI uses.

// ---------- libraries, jobs, progress (the app) ----------

/**
 * `app_state`: where things are, the libraries, counts and the job running now.
 */
export type AppInfo = { catalog: string, cache: string, models: ModelsInfo, libraries: Array<LibraryInfo>, stats: StatsInfo, 
/**
 * The job running now, if any.
 */
job: JobProgress | null, };

/**
 * Whether the analysis models are in place.
 */
export type ModelsInfo = { ready: boolean, missing: Array<string>, folder: string, };

/**
 * Catalogue counts.
 */
export type StatsInfo = { photos: number, faces: number, people: number, errors: number, unsupported: number, };

/**
 * A library folder (`add_library`, `remove_library`, `app_state`).
 */
export type LibraryInfo = { path: string, photos: number, 
/**
 * false when the folder is not there (unplugged disk): its photos are kept.
 */
online: boolean, };

/**
 * The two kinds of job (`cancel_job`, the events).
 */
export type JobKind = "scan" | "export";

/**
 * The stages of a long job (a scan, then analysis; or an export), in the order they run.
 */
export type JobStage = "discover" | "read" | "reconcile" | "analyze" | "export" | "sidecars";

/**
 * The `job-progress` event, at most ten a second.
 */
export type JobProgress = { kind: JobKind, stage: JobStage, done: number, 
/**
 * null while unknown (discovering).
 */
total: number | null, eta_seconds: number | null, 
/**
 * The file last finished.
 */
current: string | null, };

/**
 * The `job-finished` event.
 */
export type JobFinished = { kind: JobKind, cancelled: boolean, 
/**
 * One line, e.g. "20 new, 20 analysed, 34 faces" or "24 crops written, 0 unchanged".
 */
summary: string, problems: Array<Problem>, 
/**
 * Export: the folder written to (`open_folder` opens it).
 */
output: string | null, 
/**
 * Export: crops written + unchanged.
 */
files: number, };

/**
 * One problem, as the window lists it (`problems`, `job-finished`).
 */
export type Problem = { path: string, 
/**
 * Analysis stage, "read" for files that could not be catalogued, "export" for exports.
 */
stage: string, reason: string, };

/**
 * The `catalog-changed` event: the watcher applied a batch, a job committed, or people were edited.
 */
export type CatalogChanged = { reason: string, };

/**
 * What every command rejects with. `query` is set when the query did not parse (the query bar
 * underlines where).
 */
export type CommandError = { message: string, query: QueryError | null, };

/**
 * A query that cannot be run.
 */
export type QueryError = { message: string, span: Span, 
/**
 * 1-based line and column (in characters) of the span's start; set by [`QueryError::locate`].
 */
line: number, column: number, hint: string | null, };

/**
 * Bytes `start..end` of the query.
 */
export type Span = { start: number, end: number, };

// ---------- search ----------

/**
 * `search`'s argument.
 */
export type SearchRequest = { query: string | null, sort: Sort, offset: number, limit: number, facets: boolean, groups: boolean, };

/**
 * Result order.
 */
export type Sort = "taken" | "added" | "faces" | "name" | "similar";

/**
 * `search`'s result.
 */
export type SearchPage = { total: number, offset: number, hits: Array<Hit>, facets: Facets | null, 
/**
 * Month groups of the whole result when sorted by date taken and groups were asked for.
 */
groups: Array<Group> | null, 
/**
 * When nothing was found: why (terms that find nothing, the nearest known values).
 */
notes: Array<string>, };

/**
 * One photo found.
 */
export type Hit = { id: number, path: string, taken_at: string | null, faces: number, };

/**
 * Counts per facet, each sorted by count (then value).
 */
export type Facets = { person: Array<FacetValue>, label: Array<FacetValue>, 
/**
 * Object classes found with boxes (scoring at least the object threshold), people's bodies
 * left out (`persons:` counts them).
 */
object: Array<FacetValue>, 
/**
 * Object classes a person carries (`carrying:`), counted on the persons the query's face and
 * person terms are about.
 */
carrying: Array<FacetValue>, 
/**
 * Clothing a person wears (`wearing:`), counted the same way.
 */
wearing: Array<FacetValue>, 
/**
 * Every top level and longer prefix of the photos' keyword paths (`People`, `People/Family`,
 * `People/Family/Ana`): the 100 with most photos, a parent before its children.
 */
keyword: Array<FacetValue>, 
/**
 * `5` … `1`, then `rejected`.
 */
rating: Array<FacetValue>, attribute: Array<FacetValue>, emotion: Array<FacetValue>, age: Array<FacetValue>, camera: Array<FacetValue>, lens: Array<FacetValue>, year: Array<FacetValue>, format: Array<FacetValue>, };

/**
 * One value of a facet.
 */
export type FacetValue = { value: string, count: number, 
/**
 * The query text that adds this value (`label:cat`, `person:"Ana"`, `age:>=20 age:<30`).
 */
refine: string, };

/**
 * A run of photos found with the same month taken, in result order ([`Sort::Taken`]).
 */
export type Group = { 
/**
 * `2024-11`, or empty for the photos without a date (always last).
 */
key: string, count: number, };

// ---------- photo ----------

/**
 * `photo_detail`: the photo view and the names of the people its faces belong to.
 */
export type PhotoView = { 
/**
 * Person id → name (null when unnamed).
 */
people: { [key in number]: string | null }, thumbnails: Thumbnails | null, faces: Array<FaceView>, 
/**
 * Unsafe-content score, null until the unsafe stage has run.
 */
unsafe: Score | null, 
/**
 * Lines of text found in the photo, in reading order.
 */
text: Array<TextLine>, 
/**
 * Scene labels (`kind: label`: cat, beach …) and raw classes (`kind: class`), best first.
 */
labels: Array<PhotoLabel>, 
/**
 * Objects found with boxes (people's bodies among them), best first: those scoring at least
 * [`argus_core::objects::OBJECT_MIN_SCORE`], the ones search finds.
 */
objects: Array<StoredObject>, analysis_runs: Array<AnalysisRun>, 
/**
 * The other files of this photo's shot (a RAW+JPEG pair's RAW, or for a companion its primary).
 */
shot_files: Array<Photo>, 
/**
 * What other tools say about it (XMP and IPTC: keywords, rating, captions, named regions).
 */
metadata: StoredMetadata, id: number, library_id: number, path: string, file_name: string, size: number, mtime_ns: number, hash: string | null, status: PhotoStatus, error: string | null, format: string | null, 
/**
 * Width as displayed (after EXIF orientation).
 */
width: number | null, height: number | null, orientation: number | null, 
/**
 * Where the pixels come from: `decoder`, `libheif`, `jxl-oxide`, `raw-preview` (a camera RAW's
 * embedded JPEG) or `raw-demosaic` (its sensor data).
 */
pixel_source: string | null, 
/**
 * Other images in the same file (HEIF bursts, Live Photo stills); only the primary is catalogued.
 */
other_images: number, 
/**
 * The photo this one is stacked behind: a shot's primary when this file is its companion (the
 * RAW of a RAW+JPEG pair), or the copy the user kept when this is a duplicate they stacked.
 */
shot_of: number | null, 
/**
 * `duplicate` when the user stacked this photo behind a copy they kept; null for a shot's
 * companion (or a photo in no stack).
 */
stack_kind: string | null, added_at: number, updated_at: number, 
/**
 * Local wall-clock time the photo was taken, `YYYY-MM-DDTHH:MM:SS[.fff]`.
 */
taken_at: string | null, 
/**
 * UTC offset of `taken_at` when the camera recorded one, `+02:00`.
 */
taken_offset: string | null, camera_make: string | null, camera_model: string | null, lens: string | null, 
/**
 * Focal length in mm.
 */
focal_length: number | null, 
/**
 * Focal length in mm, 35 mm equivalent.
 */
focal_length_35mm: number | null, 
/**
 * f-number.
 */
aperture: number | null, 
/**
 * Exposure time in seconds.
 */
exposure_time: number | null, iso: number | null, 
/**
 * Degrees, positive north.
 */
gps_lat: number | null, 
/**
 * Degrees, positive east.
 */
gps_lon: number | null, 
/**
 * Metres above sea level.
 */
gps_alt: number | null, };

/**
 * One photo as `argus show --json` prints it and the app's photo view shows it: the catalogue row,
 * its thumbnail files and everything analysis found in it.
 */
export type PhotoDetail = { thumbnails: Thumbnails | null, faces: Array<FaceView>, 
/**
 * Unsafe-content score, null until the unsafe stage has run.
 */
unsafe: Score | null, 
/**
 * Lines of text found in the photo, in reading order.
 */
text: Array<TextLine>, 
/**
 * Scene labels (`kind: label`: cat, beach …) and raw classes (`kind: class`), best first.
 */
labels: Array<PhotoLabel>, 
/**
 * Objects found with boxes (people's bodies among them), best first: those scoring at least
 * [`argus_core::objects::OBJECT_MIN_SCORE`], the ones search finds.
 */
objects: Array<StoredObject>, analysis_runs: Array<AnalysisRun>, 
/**
 * The other files of this photo's shot (a RAW+JPEG pair's RAW, or for a companion its primary).
 */
shot_files: Array<Photo>, 
/**
 * What other tools say about it (XMP and IPTC: keywords, rating, captions, named regions).
 */
metadata: StoredMetadata, id: number, library_id: number, path: string, file_name: string, size: number, mtime_ns: number, hash: string | null, status: PhotoStatus, error: string | null, format: string | null, 
/**
 * Width as displayed (after EXIF orientation).
 */
width: number | null, height: number | null, orientation: number | null, 
/**
 * Where the pixels come from: `decoder`, `libheif`, `jxl-oxide`, `raw-preview` (a camera RAW's
 * embedded JPEG) or `raw-demosaic` (its sensor data).
 */
pixel_source: string | null, 
/**
 * Other images in the same file (HEIF bursts, Live Photo stills); only the primary is catalogued.
 */
other_images: number, 
/**
 * The photo this one is stacked behind: a shot's primary when this file is its companion (the
 * RAW of a RAW+JPEG pair), or the copy the user kept when this is a duplicate they stacked.
 */
shot_of: number | null, 
/**
 * `duplicate` when the user stacked this photo behind a copy they kept; null for a shot's
 * companion (or a photo in no stack).
 */
stack_kind: string | null, added_at: number, updated_at: number, 
/**
 * Local wall-clock time the photo was taken, `YYYY-MM-DDTHH:MM:SS[.fff]`.
 */
taken_at: string | null, 
/**
 * UTC offset of `taken_at` when the camera recorded one, `+02:00`.
 */
taken_offset: string | null, camera_make: string | null, camera_model: string | null, lens: string | null, 
/**
 * Focal length in mm.
 */
focal_length: number | null, 
/**
 * Focal length in mm, 35 mm equivalent.
 */
focal_length_35mm: number | null, 
/**
 * f-number.
 */
aperture: number | null, 
/**
 * Exposure time in seconds.
 */
exposure_time: number | null, iso: number | null, 
/**
 * Degrees, positive north.
 */
gps_lat: number | null, 
/**
 * Degrees, positive east.
 */
gps_lon: number | null, 
/**
 * Metres above sea level.
 */
gps_alt: number | null, };

/**
 * One catalogued file.
 */
export type Photo = { id: number, library_id: number, path: string, file_name: string, size: number, mtime_ns: number, hash: string | null, status: PhotoStatus, error: string | null, format: string | null, 
/**
 * Width as displayed (after EXIF orientation).
 */
width: number | null, height: number | null, orientation: number | null, 
/**
 * Where the pixels come from: `decoder`, `libheif`, `jxl-oxide`, `raw-preview` (a camera RAW's
 * embedded JPEG) or `raw-demosaic` (its sensor data).
 */
pixel_source: string | null, 
/**
 * Other images in the same file (HEIF bursts, Live Photo stills); only the primary is catalogued.
 */
other_images: number, 
/**
 * The photo this one is stacked behind: a shot's primary when this file is its companion (the
 * RAW of a RAW+JPEG pair), or the copy the user kept when this is a duplicate they stacked.
 */
shot_of: number | null, 
/**
 * `duplicate` when the user stacked this photo behind a copy they kept; null for a shot's
 * companion (or a photo in no stack).
 */
stack_kind: string | null, added_at: number, updated_at: number, 
/**
 * Local wall-clock time the photo was taken, `YYYY-MM-DDTHH:MM:SS[.fff]`.
 */
taken_at: string | null, 
/**
 * UTC offset of `taken_at` when the camera recorded one, `+02:00`.
 */
taken_offset: string | null, camera_make: string | null, camera_model: string | null, lens: string | null, 
/**
 * Focal length in mm.
 */
focal_length: number | null, 
/**
 * Focal length in mm, 35 mm equivalent.
 */
focal_length_35mm: number | null, 
/**
 * f-number.
 */
aperture: number | null, 
/**
 * Exposure time in seconds.
 */
exposure_time: number | null, iso: number | null, 
/**
 * Degrees, positive north.
 */
gps_lat: number | null, 
/**
 * Degrees, positive east.
 */
gps_lon: number | null, 
/**
 * Metres above sea level.
 */
gps_alt: number | null, };

/**
 * Whether a file could be catalogued.
 */
export type PhotoStatus = "ok" | "error" | "unsupported";

/**
 * Metadata read from a photo's EXIF block. Every field is optional: many files carry none.
 */
export type ExifData = { 
/**
 * Local wall-clock time the photo was taken, `YYYY-MM-DDTHH:MM:SS[.fff]`.
 */
taken_at: string | null, 
/**
 * UTC offset of `taken_at` when the camera recorded one, `+02:00`.
 */
taken_offset: string | null, camera_make: string | null, camera_model: string | null, lens: string | null, 
/**
 * Focal length in mm.
 */
focal_length: number | null, 
/**
 * Focal length in mm, 35 mm equivalent.
 */
focal_length_35mm: number | null, 
/**
 * f-number.
 */
aperture: number | null, 
/**
 * Exposure time in seconds.
 */
exposure_time: number | null, iso: number | null, 
/**
 * Degrees, positive north.
 */
gps_lat: number | null, 
/**
 * Degrees, positive east.
 */
gps_lon: number | null, 
/**
 * Metres above sea level.
 */
gps_alt: number | null, };

/**
 * A photo's thumbnail files in the cache.
 */
export type Thumbnails = { large: string, small: string, };

/**
 * A face as shown to people and scripts.
 */
export type FaceView = { id: number, 
/**
 * Normalised to the upright photo (0..1).
 */
box: BoxView, score: number, 
/**
 * Five points (`left_eye`, `right_eye`, `nose`, `mouth_left`, `mouth_right`) as `[x, y]`.
 */
landmarks: Record<string, [number, number]>, person_id: number | null, has_embedding: boolean, 
/**
 * What [`attributes_view`] builds: gender, age, emotion, sharpness and every probe by name.
 */
attributes: Record<string, { value: boolean | string | number; score?: number; confidence?: number; scores?: Record<string, number>; model_version: string }>, 
/**
 * Version of the detector that found the face (`none` when no model did).
 */
model_version: string, 
/**
 * `detected`, `region` (named in another tool, not found by detection) or `manual` (drawn).
 */
source: string, };

export type BoxView = { x: number, y: number, w: number, h: number, };

/**
 * A photo-level score and the model version that gave it.
 */
export type Score = { score: number, model_version: string, };

/**
 * A line of text found in a photo.
 */
export type TextLine = { text: string, 
/**
 * Mean character confidence, 0..1.
 */
score: number, 
/**
 * Corners (top-left, top-right, bottom-right, bottom-left), normalised to the upright photo.
 */
quad: [[number, number], [number, number], [number, number], [number, number]], };

/**
 * A scene label or raw class of a photo, with its score (0..1).
 */
export type PhotoLabel = { kind: LabelKind, name: string, score: number, };

/**
 * Whether a stored label is a browse label or a raw classifier class.
 */
export type LabelKind = "label" | "class";

/**
 * A stored object: what the stage found, with its id, and who it belongs to.
 */
export type StoredObject = { id: number, 
/**
 * For a body (`person`): the face that heads it, if one does.
 */
face_id: number | null, 
/**
 * For a carried or worn object: the body (an object id) that carries it.
 */
carrier_id: number | null, class: string, score: number, x: number, y: number, w: number, h: number, 
/**
 * For a body: what it wears ([`crate::clothing::CLOTHING`] names scored on a crop of it, from
 * [`crate::clothing::WEARING_STORED_SCORE`]), best first; empty for other objects.
 */
wearing: Array<Worn>, };

/**
 * An object found in a photo (one of [`crate::objects::COCO_CLASSES`]) with its box on the upright
 * photo, normalised (0..1).
 */
export type PhotoObject = { class: string, score: number, x: number, y: number, w: number, h: number, 
/**
 * For a body: what it wears ([`crate::clothing::CLOTHING`] names scored on a crop of it, from
 * [`crate::clothing::WEARING_STORED_SCORE`]), best first; empty for other objects.
 */
wearing: Array<Worn>, };

/**
 * A piece of clothing a body wears, with its score (the summed probability of its classes).
 */
export type Worn = { name: string, score: number, };

/**
 * One row of the ledger.
 */
export type AnalysisRun = { stage: string, model_version: string, done_at: number, error: string | null, };

/**
 * A photo's metadata as stored, with the sidecar it was read from and what could not be read.
 */
export type StoredMetadata = { sidecar: SidecarState | null, problem: string | null, 
/**
 * Keywords as paths (`People/Family/Ana`; a flat keyword is one level), without duplicates, in
 * the order first seen. A flat keyword that is a level of a hierarchical one is left out.
 */
keywords: Array<string>, 
/**
 * `xmp:Rating`: 1..=5 stars, or -1 for rejected. No rating (or 0) is `None`.
 */
rating: number | null, 
/**
 * `xmp:Label`, the colour label ("Red", "Green" …) as written.
 */
label: string | null, title: string | null, 
/**
 * `dc:description` or the IPTC caption.
 */
caption: string | null, creator: string | null, copyright: string | null, 
/**
 * Regions (faces, pets, focus areas …) with their boxes on the upright image.
 */
regions: Array<Region>, 
/**
 * Names of the people shown (`Iptc4xmpExt:PersonInImage`), whether or not a region marks them.
 */
people: Array<string>, };

/**
 * A sidecar file as seen on disk: a different size or mtime means it must be read again.
 */
export type SidecarState = { path: string, size: number, mtime_ns: number, };

/**
 * One region of a photo as another tool marked it.
 */
export type Region = { 
/**
 * What the region marks, lower case: `face`, `pet`, `focus`, `barcode` or what the file says.
 */
kind: string, 
/**
 * The name given to it (the person's, for a face).
 */
name: string | null, 
/**
 * Where it is, normalised to the upright (displayed) image.
 */
area: NormBox, 
/**
 * Which convention it was read from.
 */
source: RegionSource, };

/**
 * Where a region came from.
 */
export type RegionSource = "mwg" | "microsoft";

/**
 * A box normalised to an image: left, top, width, height, each 0..=1 of the image's width or height.
 */
export type NormBox = { x: number, y: number, w: number, h: number, };

/**
 * A box on the upright photo, each value 0..1 of its width or height (`add_face`).
 */
export type FaceBox = { x: number, y: number, w: number, h: number, };

// ---------- sidecars ----------

/**
 * The "write sidecars" settings (`sidecar_settings`, `set_sidecar_settings`).
 */
export type SidecarSettingsInfo = { 
/**
 * Keep XMP sidecars beside the photos up to date with the people, labels and attributes.
 */
write_sidecars: boolean, 
/**
 * How new sidecars are named: `name.ext.xmp` (digiKam, darktable) or `name.xmp` (Lightroom).
 */
naming: string, 
/**
 * The top level of Argus's keywords (`Argus/People/Ana`).
 */
keyword_root: string, };

// ---------- people ----------

/**
 * A person with counts.
 */
export type Person = { id: number, name: string | null, hidden: boolean, 
/**
 * The chosen cover face, or else the person's best face (most confident, then largest).
 */
cover_face_id: number | null, cover_chosen: boolean, faces: number, confirmed_faces: number, photos: number, };

/**
 * A face of a person (or a suggestion), with where it is.
 */
export type PersonFace = { face_id: number, photo_id: number, path: string, 
/**
 * Box normalised to the upright photo.
 */
bbox: [number, number, number, number], score: number, confirmed: boolean, };

/**
 * A suggested face with its similarity to the person's centroid.
 */
export type FaceSuggestion = { similarity: number, face_id: number, photo_id: number, path: string, 
/**
 * Box normalised to the upright photo.
 */
bbox: [number, number, number, number], score: number, confirmed: boolean, };

/**
 * Where the faces went, and the photos now showing that person more than once.
 */
export type Assigned = { person: number, shown_twice: Array<SharedPhoto>, 
/**
 * One sentence per photo of `shown_twice`, for the front end to show.
 */
notes: Array<string>, };

/**
 * A photo showing one person more than once (by the user's decision), with those faces.
 */
export type SharedPhoto = { photo_id: number, path: string, faces: Array<number>, };

// ---------- look-alikes and duplicates ----------

/**
 * `similar_photos`: the photos most like one photo, most alike first.
 */
export type SimilarPhotos = { 
/**
 * false when the photo has no descriptor yet (not analysed): then `photos` is empty.
 */
described: boolean, photos: Array<SimilarPhoto>, };

/**
 * A photo like another one, with how alike (cosine similarity of their descriptors, −1..1).
 */
export type SimilarPhoto = { photo: Photo, similarity: number, };

/**
 * `duplicates`: the duplicate groups of the grid's photos (largest first, each best photo first)
 * and the stacks the user made.
 */
export type DuplicatesView = { groups: Array<DuplicateGroup>, stacks: Array<DuplicateStack>, };

/**
 * A group of duplicates, best photo first.
 */
export type DuplicateGroup = { kind: DuplicateKind, members: Array<DuplicateMember>, 
/**
 * Why the first member is the one to keep: the first rule of [`crate::best`] that puts it
 * before the second.
 */
keep_because: KeepReason, };

/**
 * How the photos of a group are alike (its loosest link).
 */
export type DuplicateKind = "exact" | "near" | "burst";

/**
 * The rule of the order that decided between two photos (the app's Duplicates view says why it
 * suggests keeping a photo).
 */
export type KeepReason = "pixels" | "metadata" | "sharpness" | "file_size" | "oldest" | "first_catalogued";

/**
 * One photo of a group.
 */
export type DuplicateMember = { photo: Photo, sharpness: number, 
/**
 * Cosine similarity of its descriptor to the best photo's (1 for the best photo).
 */
similarity: number, 
/**
 * Whether its file has the best photo's content hash.
 */
same_content: boolean, };

/**
 * A photo the user kept and the copies stacked behind it.
 */
export type DuplicateStack = { kept: Photo, 
/**
 * By path.
 */
stacked: Array<Photo>, };

// ---------- export ----------

/**
 * The export dialog's settings (`export_preview`, `start_export`).
 */
export type ExportSettings = { 
/**
 * "3:1", "16:9", "1:1" …
 */
aspects: Array<string>, 
/**
 * Output widths in pixels (one crop per aspect × width).
 */
widths: Array<number>, focus: FocusSetting, 
/**
 * "jpeg", "webp" or "png".
 */
format: string, quality: number, 
/**
 * Space kept around the faces, as a fraction of the face box.
 */
padding: number, 
/**
 * 1 = the largest crop of the aspect; larger zooms in around the faces.
 */
zoom: number, 
/**
 * "#rrggbb" to fill instead of cutting a face that does not fit; null = never fill.
 */
fill: string | null, template: string, keep_metadata: boolean, upscale: boolean, 
/**
 * The export folder (absolute).
 */
out: string, };

/**
 * "largest", "all", "person" (a whole body), "object:CLASS", or one person's faces.
 */
export type FocusSetting = string | { person: number, };

/**
 * What `start_export` exports: photos by id, or everything a query finds.
 */
export type ExportSelection = { ids: Array<number>, } | { query: string, };

/**
 * One photo of the preview.
 */
export type PreviewPhoto = { photo_id: number, width: number, height: number, focus: FocusChoice, crops: Array<PreviewCrop>, };

/**
 * The focus chosen for one photo.
 */
export type FocusChoice = { source: FocusSource, 
/**
 * The faces kept (catalogue ids).
 */
faces: Array<number>, 
/**
 * The objects kept (catalogue ids: a body, or the object of [`FocusMode::Object`]).
 */
objects?: Array<number>, 
/**
 * Their union in source pixels (upright), None for [`FocusSource::Content`].
 */
rect: Rect | null, 
/**
 * Why the content fallback (or, for a body, the face) was used.
 */
why?: string | null, };

/**
 * Where the focus of a crop came from.
 */
export type FocusSource = "largest_face" | "all_faces" | "person" | "body" | "object" | "content";

/**
 * One crop of the preview.
 */
export type PreviewCrop = { 
/**
 * `16:9`.
 */
aspect: string, 
/**
 * In the upright photo's pixels (a filled crop may reach outside it).
 */
rect: Rect, fit: Fit, 
/**
 * The output size at the first requested size.
 */
size: [number, number], };

/**
 * A rectangle in an image's pixels; it may reach past the image (negative `x`/`y`, or beyond
 * its size), as a crop filled outside the photo does.
 */
export type Rect = { x: number, y: number, w: number, h: number, };

/**
 * How well the crop holds its focus.
 */
export type Fit = "padded" | "reduced_padding" | "focus_cut" | "filled" | "no_focus";

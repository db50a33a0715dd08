//! A generated catalogue at the size search must be fast at (100k photos, 300k faces, 1M labels),
//! with the shape of a real one: skewed cameras, years and people, faces with every attribute the
//! pipeline writes (probabilities on either side of the calibrated threshold, age, emotions,
//! sharpness), labels from the real ImageNet vocabulary with their parents and raw classes, GPS,
//! text and unsafe scores on some photos, and XMP metadata on some (keywords, flat and hierarchical,
//! ratings including rejected, titles and captions; drawn from a generator of their own, so the rest
//! is what it was before they were added), and image descriptors on 90 % (look-alike groups of
//! about eight photos around a shared centre, each photo nearer or farther from it, so pairs fall on
//! both sides of `similar:`'s threshold). Seeded, so two runs write the same catalogue.
//!
//! The photos live under a library folder that does not exist, so a scan treats them as offline
//! and keeps them.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::query::{ATTRIBUTES, EMOTIONS};
use argus_ann::vector::{normalize, Element};
use argus_catalog::{
    BulkLoad, Catalog, ExifData, FaceAttribute, LabelKind, NewFace, PhotoAttribute, PhotoLabel,
    PhotoMetadata, PhotoObject, PhotoRecord, PhotoStatus, Placement, RecordMetadata, TextLine,
};
use argus_core::clothing::CLOTHING;
use argus_core::imagenet::classes;
use argus_core::metadata::NormBox;
use argus_core::probes::ProbeSet;
use argus_core::results::{PhotoDescriptor, Worn};
use argus_core::Result;

/// The library folder of generated photos.
pub const ROOT: &str = "/nonexistent/argus-generated";
/// Changes whenever the generator writes something different for the same options.
pub const GENERATOR_VERSION: u32 = 8;
/// The model version written on generated analysis rows.
pub const MODEL_VERSION: &str = "generated";

/// How big a catalogue to write.
#[derive(Debug, Clone, Serialize)]
pub struct GenerateOptions {
    pub photos: usize,
    /// Faces in all (about; drawn per photo around the mean).
    pub faces: usize,
    /// Label rows in all, browse labels and raw classes together (about).
    pub labels: usize,
    /// People the faces belong to; the first `named` have names.
    pub people: usize,
    pub named: usize,
    pub seed: u64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            photos: 100_000,
            faces: 300_000,
            labels: 1_000_000,
            people: 3_000,
            named: 400,
            seed: 7,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Generated {
    pub photos: usize,
    pub faces: usize,
    pub face_attributes: usize,
    pub labels: usize,
    pub objects: usize,
    pub descriptors: usize,
    pub people: usize,
}

/// Cameras with their share of photos (make, model, weight).
const CAMERAS: &[(&str, &str, u32)] = &[
    ("Apple", "iPhone 13", 30),
    ("Apple", "iPhone 15 Pro", 22),
    ("samsung", "SM-S918B", 12),
    ("Google", "Pixel 8", 8),
    ("FUJIFILM", "X100V", 8),
    ("FUJIFILM", "X-T4", 5),
    ("Canon", "Canon EOS R5", 5),
    ("Canon", "Canon EOS 5D Mark IV", 4),
    ("SONY", "ILCE-7M3", 4),
    ("SONY", "ILCE-7M2", 3),
    ("NIKON CORPORATION", "NIKON Z 6_2", 3),
    ("NIKON CORPORATION", "NIKON D750", 2),
    ("OLYMPUS CORPORATION", "E-M10MarkII", 2),
    ("Panasonic", "DC-S5", 1),
    ("RICOH IMAGING COMPANY, LTD.", "RICOH GR III", 1),
    ("DJI", "FC3582", 1),
];

const LENSES: &[&str] = &[
    "XF23mmF2 R WR",
    "XF35mmF1.4 R",
    "XF56mmF1.2 R",
    "RF24-105mm F4 L IS USM",
    "RF50mm F1.8 STM",
    "EF70-200mm f/2.8L IS III USM",
    "FE 24-70mm F2.8 GM",
    "FE 85mm F1.8",
    "NIKKOR Z 24-70mm f/4 S",
    "iPhone 15 Pro back triple camera 6.86mm f/1.78",
    "iPhone 13 back dual wide camera 5.1mm f/1.6",
];

const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ines", "Jonas", "Kwame",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Ulla", "Vera",
    "Wei", "Ximena", "Yusuf", "Zoë",
];
const LAST_NAMES: &[&str] = &[
    "Silva",
    "Okafor",
    "Novak",
    "Jensen",
    "Haddad",
    "Tanaka",
    "García",
    "Müller",
    "O'Brien",
    "Kowalski",
    "Nguyen",
    "Rossi",
    "Dubois",
    "Andersson",
    "Mehta",
    "Kim",
];

const TEXT: &[&str] = &[
    "SALE",
    "OPEN",
    "EXIT",
    "Happy Birthday",
    "STOP",
    "Menu",
    "Coffee",
    "50% OFF",
    "Platform 4",
    "Welcome",
    "No Parking",
    "Arrivals",
];

/// Keywords as other tools write them: paths (Lightroom, digiKam) and flat words, in mixed case.
const KEYWORDS: &[&str] = &[
    "Places/Portugal/Lisbon",
    "Places/Portugal/Porto",
    "Places/Netherlands/Amsterdam",
    "places/japan",
    "People/Family/Ana",
    "People/Family/Ben",
    "People/Friends/Omar",
    "Events/Wedding",
    "Events/Birthday",
    "Events/Holiday/Summer",
    "Holiday",
    "beach",
    "Beach",
    "sunset",
    "Food",
    "Family",
];

const TITLES: &[&str] = &[
    "Summer at the beach",
    "Ana's birthday",
    "Sunset over Lisbon",
    "Café Central",
    "The wedding",
    "Untitled",
];

const CAPTIONS: &[&str] = &[
    "Family dinner at home",
    "A long walk by the sea",
    "Birthday cake, 50% off",
    "Waiting for the train at platform 4",
    "The best café in town",
];

/// Places photos were taken (lat, lon).
const PLACES: &[(f64, f64)] = &[
    (52.3731, 4.8922),
    (48.8566, 2.3522),
    (38.7223, -9.1393),
    (40.7128, -74.0060),
    (35.6762, 139.6503),
    (-33.8688, 151.2093),
];

/// Writes a generated catalogue into `catalog` (normally empty) through a bulk load (one
/// transaction, indexes built at the end). `progress` is called with the photos written so far.
pub fn generate(
    catalog: &mut Catalog,
    options: &GenerateOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<Generated> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut metadata_rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x0078_6d70);
    // Objects draw from their own stream, so the rest is what it was before they were generated.
    let mut object_rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x006f_626a);
    let mut descriptor_rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x6465_7363);
    let look_alike_groups = (options.photos / 8).max(1) as u64;
    let mut load = catalog.bulk_load()?;
    let library = load.library(ROOT, 0)?;
    let person_ids = insert_people(&mut load, options, &mut rng)?;
    let mut out = Generated {
        people: person_ids.len(),
        ..Generated::default()
    };
    let faces_per_photo = options.faces as f64 / options.photos.max(1) as f64;
    let labels_per_photo = options.labels as f64 / options.photos.max(1) as f64;
    let vocabulary = Vocabulary::new(&mut rng);
    let mut writer = Writer::new(load);
    for n in 0..options.photos {
        let photo = writer.photo(library, n, &mut rng, metadata(&mut metadata_rng))?;
        out.photos += 1;
        for _ in 0..face_count(faces_per_photo, &mut rng) {
            let person = (!person_ids.is_empty() && rng.random::<f32>() < 0.6).then(|| {
                let u: f64 = rng.random();
                person_ids[((u * u) * person_ids.len() as f64) as usize]
            });
            out.face_attributes += writer.face(photo, person, &mut rng)?;
            out.faces += 1;
        }
        out.labels += writer.labels(photo, &vocabulary, labels_per_photo, &mut rng)?;
        out.objects += writer.objects(photo, &mut object_rng)?;
        if descriptor_rng.random::<f32>() < 0.9 {
            let group = descriptor_rng.random_range(0..look_alike_groups);
            let descriptor = descriptor(options.seed, group, &mut descriptor_rng);
            writer.load.descriptor(photo, &descriptor, MODEL_VERSION)?;
            out.descriptors += 1;
        }
        if n % 1000 == 999 {
            progress(n + 1);
        }
    }
    writer.load.finish()?;
    progress(options.photos);
    Ok(out)
}

/// Length of a generated descriptor (EfficientNet-Lite0's, as the `descriptor` stage stores them).
const DESCRIPTOR_DIM: usize = 1280;

/// A random unit vector, drawn from `rng`.
fn random_unit(rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut v: Vec<f32> = (0..DESCRIPTOR_DIM)
        .map(|_| rng.random_range(-1.0..1.0))
        .collect();
    normalize(&mut v);
    v
}

/// A descriptor of look-alike group `group`: its centre (the same for every photo of the group)
/// plus noise 0.2–1.3 times as long, which puts a photo 0.98–0.61 alike to the centre.
fn descriptor(seed: u64, group: u64, rng: &mut ChaCha8Rng) -> PhotoDescriptor {
    let centre = random_unit(&mut ChaCha8Rng::seed_from_u64(
        seed ^ (group << 20) ^ 0x6365,
    ));
    let noise = random_unit(rng);
    let length: f32 = rng.random_range(0.2..1.3);
    let mut v: Vec<f32> = centre
        .iter()
        .zip(&noise)
        .map(|(c, n)| c + n * length)
        .collect();
    normalize(&mut v);
    PhotoDescriptor {
        vector: <i8 as Element>::encode(&v),
        phash: rng.random(),
        sharpness: rng.random_range(10.0..2000.0),
    }
}

/// XMP metadata for one photo, or None: keywords on 30 %, a rating on 45 % (8 % of them rejected),
/// a title on 15 %, a caption on 10 %.
fn metadata(rng: &mut ChaCha8Rng) -> Option<RecordMetadata> {
    let pick =
        |rng: &mut ChaCha8Rng, from: &[&str]| from[rng.random_range(0..from.len())].to_string();
    let mut m = PhotoMetadata::default();
    if rng.random::<f32>() < 0.3 {
        for _ in 0..rng.random_range(1..4) {
            let keyword = pick(rng, KEYWORDS);
            if !m.keywords.contains(&keyword) {
                m.keywords.push(keyword);
            }
        }
    }
    if rng.random::<f32>() < 0.45 {
        m.rating = Some(match rng.random_range(0..100) {
            0..8 => -1,
            8..18 => 1,
            18..33 => 2,
            33..63 => 3,
            63..88 => 4,
            _ => 5,
        });
    }
    if rng.random::<f32>() < 0.15 {
        m.title = Some(pick(rng, TITLES));
    }
    if rng.random::<f32>() < 0.1 {
        m.caption = Some(pick(rng, CAPTIONS));
    }
    (!m.is_empty()).then(|| RecordMetadata {
        metadata: m,
        ..RecordMetadata::default()
    })
}

/// People: the first `named` get a unique name, a few are hidden. Their ids, in order.
fn insert_people(
    load: &mut BulkLoad,
    options: &GenerateOptions,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<i64>> {
    (0..options.people)
        .map(|i| {
            let name = (i < options.named).then(|| {
                let first = FIRST_NAMES[i % FIRST_NAMES.len()];
                let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
                match i / (FIRST_NAMES.len() * LAST_NAMES.len()) {
                    0 => format!("{first} {last}"),
                    k => format!("{first} {last} {}", k + 1),
                }
            });
            load.person(name.as_deref(), rng.random::<f32>() < 0.02, 0)
        })
        .collect()
}

/// Faces on one photo: a third have none; the rest one or more, for the given mean overall.
fn face_count(mean: f64, rng: &mut ChaCha8Rng) -> usize {
    const NO_FACE: f64 = 0.35;
    if mean <= 0.0 || rng.random::<f64>() < NO_FACE {
        return 0;
    }
    // 1 + geometric with the mean that makes the overall mean `mean`.
    let extra = (mean / (1.0 - NO_FACE) - 1.0).max(0.0);
    let p = 1.0 / (1.0 + extra);
    let u: f64 = rng.random::<f64>().max(1e-12);
    1 + (u.ln() / (1.0 - p).max(1e-12).ln()).floor().min(40.0) as usize
}

/// Raw classes with their browse label and its parent, weighted so a few scenes are common.
struct Vocabulary {
    classes: Vec<(String, Vec<String>)>,
}

impl Vocabulary {
    /// The classes in a seeded random order (which ones are common must not follow ImageNet's
    /// order, where the 120 dog breeds come early).
    fn new(rng: &mut ChaCha8Rng) -> Vocabulary {
        use rand::seq::SliceRandom;
        let mut classes: Vec<(String, Vec<String>)> = classes()
            .iter()
            .map(|c| {
                let labels = c.label.iter().chain(c.parent.iter()).cloned().collect();
                (c.name.clone(), labels)
            })
            .collect();
        classes.shuffle(rng);
        Vocabulary { classes }
    }

    /// A class, skewed towards the classes that carry a browse label (people photograph cats
    /// and beaches more than they photograph obscure ImageNet classes).
    fn pick(&self, rng: &mut ChaCha8Rng) -> &(String, Vec<String>) {
        loop {
            let u: f64 = rng.random();
            let c = &self.classes[((u * u) * self.classes.len() as f64) as usize];
            if !c.1.is_empty() || rng.random::<f32>() < 0.3 {
                return c;
            }
        }
    }
}

/// Turns random draws into catalogue rows and hands them to the bulk load.
struct Writer<'c> {
    load: BulkLoad<'c>,
    thresholds: Vec<(&'static str, f32)>,
    /// The boxes of the current photo's faces (bodies are drawn under some of them).
    faces: Vec<NormBox>,
}

impl<'c> Writer<'c> {
    fn new(load: BulkLoad<'c>) -> Writer<'c> {
        let probes = ProbeSet::builtin();
        Writer {
            load,
            thresholds: ATTRIBUTES
                .iter()
                .map(|a| (*a, probes.threshold(a)))
                .collect(),
            faces: Vec::new(),
        }
    }

    fn photo(
        &mut self,
        library: i64,
        n: usize,
        rng: &mut ChaCha8Rng,
        metadata: Option<RecordMetadata>,
    ) -> Result<i64> {
        let weights: u32 = CAMERAS.iter().map(|c| c.2).sum();
        let camera = (rng.random::<f32>() < 0.9).then(|| {
            let mut pick = rng.random_range(0..weights);
            CAMERAS
                .iter()
                .find(|c| {
                    let hit = pick < c.2;
                    pick = pick.saturating_sub(c.2);
                    hit
                })
                .expect("a camera")
        });
        let lens = (camera.is_some() && rng.random::<f32>() < 0.6)
            .then(|| LENSES[rng.random_range(0..LENSES.len())]);
        // Recent years are more common; 4 % have no date.
        let taken = (rng.random::<f32>() >= 0.04).then(|| {
            let u: f64 = rng.random();
            let year = 2026 - (u * u * 17.0) as i32;
            format!(
                "{year}-{:02}-{:02}T{:02}:{:02}:{:02}",
                rng.random_range(1..=12),
                rng.random_range(1..=28),
                rng.random_range(0..24),
                rng.random_range(0..60),
                rng.random_range(0..60)
            )
        });
        let format = match rng.random_range(0..100) {
            0..85 => "jpeg",
            85..93 => "png",
            93..97 => "webp",
            97..99 => "tiff",
            _ => "gif",
        };
        let gps = (rng.random::<f32>() < 0.35).then(|| {
            let (lat, lon) = PLACES[rng.random_range(0..PLACES.len())];
            (
                lat + rng.random_range(-0.3..0.3),
                lon + rng.random_range(-0.3..0.3),
            )
        });
        let name = format!(
            "IMG_{n:06}.{}",
            if format == "jpeg" { "jpg" } else { format }
        );
        let (width, height) = if rng.random::<bool>() {
            (4000, 3000)
        } else {
            (3000, 4000)
        };
        let size = rng.random_range(200_000..12_000_000i32) as u64;
        let record = PhotoRecord {
            library_id: library,
            path: format!("{ROOT}/{}/{name}", n / 1000).into(),
            size,
            mtime_ns: 0,
            hash: Some(format!("{n:064x}")),
            status: PhotoStatus::Ok,
            error: None,
            format: Some(format.to_string()),
            width: Some(width),
            height: Some(height),
            orientation: Some(1),
            exif: ExifData {
                taken_at: taken,
                camera_make: camera.map(|c| c.0.to_string()),
                camera_model: camera.map(|c| c.1.to_string()),
                lens: lens.map(str::to_string),
                gps_lat: gps.map(|g| g.0),
                gps_lon: gps.map(|g| g.1),
                ..ExifData::default()
            },
            pixel_source: Some("decoder".into()),
            other_images: 0,
            metadata,
        };
        let photo = self.load.photo(&record, 1_600_000_000 + n as i64 * 600)?;
        let unsafe_score: f32 = if rng.random::<f32>() < 0.02 {
            rng.random_range(0.5..1.0)
        } else {
            rng.random_range(0.0..0.3)
        };
        self.load.photo_attribute(
            photo,
            &PhotoAttribute {
                name: "unsafe".into(),
                value: unsafe_score,
                model_version: MODEL_VERSION.into(),
            },
        )?;
        if rng.random::<f32>() < 0.05 {
            for line in 0..rng.random_range(1..4) {
                let text = TextLine {
                    text: TEXT[rng.random_range(0..TEXT.len())].to_string(),
                    score: 0.9,
                    quad: [[0.0; 2]; 4],
                };
                self.load.text_line(photo, line, &text, MODEL_VERSION)?;
            }
        }
        Ok(photo)
    }

    /// One face with every attribute the pipeline writes; returns the attribute rows written.
    fn face(&mut self, photo: i64, person: Option<i64>, rng: &mut ChaCha8Rng) -> Result<usize> {
        let side: f64 = rng.random_range(0.03..0.4);
        let x = rng.random_range(0.0..1.0 - side);
        let y = rng.random_range(0.0..1.0 - side);
        let score: f64 = rng.random_range(0.75..1.0);
        let male = rng.random::<f32>() < 0.5;
        let mut values: Vec<(String, f32)> = Vec::with_capacity(30);
        for (name, threshold) in self.thresholds.clone() {
            let prevalence = match name {
                "beard" if male => 0.30,
                "mustache" if male => 0.20,
                "beard" | "mustache" => 0.005,
                "eyeglasses" => 0.20,
                "sunglasses" => 0.08,
                "hat" => 0.10,
                "smile" => 0.50,
                "eyes_open" => 0.90,
                "mouth_open" => 0.30,
                "black_hair" | "brown_hair" | "wavy_hair" => 0.30,
                "straight_hair" => 0.40,
                "blond_hair" | "bangs" | "earrings" => 0.15,
                "gray_hair" => 0.12,
                "necklace" => 0.10,
                "necktie" if male => 0.15,
                "bald" if male => 0.08,
                "necktie" | "bald" => 0.01,
                _ => 0.2,
            };
            let present = rng.random::<f32>() < prevalence;
            let value = if present {
                rng.random_range(threshold..1.0)
            } else {
                rng.random_range(0.0..threshold)
            };
            values.push((name.to_string(), value));
        }
        values.push(("male".into(), if male { 0.9 } else { 0.1 }));
        values.push(("age".into(), rng.random_range(2.0f32..85.0)));
        values.push(("sharpness".into(), rng.random_range(2.0f32..300.0)));
        // One emotion dominates; the rest share what is left.
        let dominant = match rng.random_range(0..100) {
            0..40 => "happy",
            40..75 => "neutral",
            75..83 => "sad",
            83..90 => "surprise",
            90..95 => "angry",
            95..98 => "fear",
            _ => "disgust",
        };
        let top: f32 = rng.random_range(0.4..0.95);
        for e in EMOTIONS {
            let v = if e == dominant {
                top
            } else {
                let share = (1.0 - top) / (EMOTIONS.len() - 1) as f32;
                (share * rng.random_range(0.2f32..1.8)).min(top - 0.01)
            };
            values.push((format!("emotion.{e}"), v));
        }
        let face = NewFace {
            x: x as f32,
            y: y as f32,
            w: side as f32,
            h: side as f32,
            score: score as f32,
            attributes: values
                .into_iter()
                .map(|(name, value)| FaceAttribute {
                    name,
                    value,
                    confidence: 0.9,
                    model_version: MODEL_VERSION.into(),
                })
                .collect(),
            ..NewFace::default()
        };
        let placement = person.map_or(Placement::Alone, Placement::Person);
        self.load.face(photo, &face, MODEL_VERSION, placement)?;
        self.faces.push(NormBox {
            x,
            y,
            w: side,
            h: side,
        });
        Ok(face.attributes.len())
    }

    /// 0–4 objects: bodies most often (wearing up to two pieces of clothing, scored on both sides
    /// of the clothing threshold), then a few common classes; scores on both sides of the
    /// threshold from which an object counts. Most bodies stand under one of the photo's faces and
    /// most other objects lie at the middle of an earlier body, so people carry things (the
    /// catalogue links them by its rule; some of these fall outside it on purpose).
    fn objects(&mut self, photo: i64, rng: &mut ChaCha8Rng) -> Result<usize> {
        const CLASSES: &[&str] = &[
            "person",
            "person",
            "person",
            "handbag",
            "backpack",
            "suitcase",
            "tie",
            "dog",
            "cat",
            "car",
            "cell phone",
            "bicycle",
            "cup",
        ];
        let count = rng.random_range(0..5);
        let faces = std::mem::take(&mut self.faces);
        let mut bodies: Vec<NormBox> = Vec::new();
        for _ in 0..count {
            let class = CLASSES[rng.random_range(0..CLASSES.len())];
            let (x, y) = (rng.random_range(0.0..0.8), rng.random_range(0.0..0.8));
            let mut area = NormBox {
                x,
                y,
                w: rng.random_range(0.05..(1.0 - x)),
                h: rng.random_range(0.05..(1.0 - y)),
            };
            if class == "person" && !faces.is_empty() && rng.random::<f32>() < 0.7 {
                let face = faces[rng.random_range(0..faces.len())];
                let w = (face.w * rng.random_range(1.5..3.5)).min(1.0);
                let top = (face.y - face.h * rng.random_range(0.0..0.4)).max(0.0);
                area = NormBox {
                    x: (face.x + face.w / 2.0 - w / 2.0).clamp(0.0, 1.0 - w),
                    y: top,
                    w,
                    h: (face.h * rng.random_range(2.0..7.0)).min(1.0 - top),
                };
            } else if class != "person" && !bodies.is_empty() && rng.random::<f32>() < 0.7 {
                let body = bodies[rng.random_range(0..bodies.len())];
                let (w, h) = (body.w * 0.4, body.h * 0.2);
                area = NormBox {
                    x: body.x + body.w * rng.random_range(0.0..0.8),
                    y: body.y + body.h * rng.random_range(0.2..0.9),
                    w,
                    h,
                };
            }
            let mut wearing = Vec::new();
            if class == "person" {
                bodies.push(area);
                for _ in 0..rng.random_range(0..3) {
                    let (name, _) = CLOTHING[rng.random_range(0..CLOTHING.len())];
                    if wearing.iter().all(|w: &Worn| w.name != name) {
                        wearing.push(Worn {
                            name: name.to_string(),
                            score: rng.random_range(0.02..0.6),
                        });
                    }
                }
            }
            let object = PhotoObject {
                class: class.to_string(),
                score: rng.random_range(0.2..0.95),
                x: area.x as f32,
                y: area.y as f32,
                w: area.w as f32,
                h: area.h as f32,
                wearing,
            };
            self.load.object(photo, &object, MODEL_VERSION)?;
        }
        Ok(count)
    }

    /// About `mean` label rows: raw classes with their browse labels and parents.
    fn labels(
        &mut self,
        photo: i64,
        vocabulary: &Vocabulary,
        mean: f64,
        rng: &mut ChaCha8Rng,
    ) -> Result<usize> {
        let target = rng.random_range(0.0..2.0 * mean).round() as usize;
        let mut written = 0;
        let mut tries = 0;
        while written < target && tries < 4 * target {
            tries += 1;
            let (class, labels) = vocabulary.pick(rng);
            let score: f32 = rng.random_range(0.15..0.99);
            let kinds = std::iter::once((LabelKind::Class, class))
                .chain(labels.iter().map(|label| (LabelKind::Label, label)));
            for (kind, name) in kinds {
                let label = PhotoLabel {
                    kind,
                    name: name.clone(),
                    score,
                };
                written += usize::from(self.load.label(photo, &label, MODEL_VERSION)?);
            }
        }
        Ok(written)
    }
}

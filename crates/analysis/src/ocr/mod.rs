//! Text in photos (OCR) with the PP-OCRv4 models shipped in the PyPI package `rapidocr-onnxruntime`
//! 1.4.4 (Apache-2.0): `ch_PP-OCRv4_det_infer.onnx` (DB text detector), `ch_ppocr_mobile_v2.0_cls_infer.onnx`
//! (0°/180° direction classifier) and `ch_PP-OCRv4_rec_infer.onnx` (CRNN recogniser, Chinese + Latin,
//! its alphabet in the model's `character` metadata).
//!
//! The pipeline ports rapidocr's `RapidOCR.__call__` with the defaults of its `config.yaml`:
//! 1. working image: long side reduced to 2000 / short side raised to 30 (sides multiples of 32), and a
//!    black letterbox above and below very flat images ([`WorkingImage`]);
//! 2. detection ([`detect`]): probability map, DB post-processing, boxes in reading order;
//! 3. each box cut out as an upright strip ([`crop`]);
//! 4. upside-down strips turned ([`orientation`]);
//! 5. recognition and CTC decoding ([`recognize`]); lines scoring under 0.5 are dropped.
//!
//! All three models take BGR input normalised to −1..1 (`(v / 255 − 0.5) / 0.5`), as rapidocr feeds
//! them OpenCV images.

mod crop;
mod detect;
mod geometry;
mod orientation;
mod recognize;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use image::RgbImage;
use ort::session::Session;
use ort::value::Tensor;

use crate::AnalysisError;
use argus_core::results::TextLine;
use argus_media::imaging::resize_exact;

pub use detect::{DbParams, MAX_DET_SIDE};
use geometry::Quad;
use recognize::Charset;

/// `Global.max_side_len`: larger images are scaled down to this long side before anything else.
const MAX_SIDE_LEN: f64 = 2000.0;
/// `Global.min_side_len`: smaller images are scaled up to this short side.
const MIN_SIDE_LEN: f64 = 30.0;
/// `Global.min_height`: images this flat or flatter get a letterbox.
const MIN_HEIGHT: u32 = 30;
/// `Global.width_height_ratio`: images wider than this many heights get a letterbox.
const WIDTH_HEIGHT_RATIO: f64 = 8.0;

/// Tunable parameters, defaulting to rapidocr 1.4.4's `config.yaml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OcrOptions {
    /// Detection post-processing (`Det:`).
    pub db: DbParams,
    /// `Global.text_score`: recognised lines with a lower mean character confidence are dropped.
    pub text_score: f32,
    /// `Global.use_cls`: run the direction classifier.
    pub use_cls: bool,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            db: DbParams::default(),
            text_score: 0.5,
            use_cls: true,
        }
    }
}

/// Where the time of the last [`Ocr::read`] went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OcrTimings {
    /// Working image, detector input, detector and DB post-processing.
    pub det: Duration,
    /// Cutting out the strips.
    pub crop: Duration,
    /// Direction classifier, including its resizing.
    pub cls: Duration,
    /// Recogniser, including its resizing and decoding.
    pub rec: Duration,
    /// Number of boxes detected (before the text score filter).
    pub boxes: usize,
}

/// One of the three models with the name of its (single) input.
pub(crate) struct Model {
    session: Session,
    input: String,
    role: &'static str,
}

impl Model {
    fn new(session: Session, role: &'static str) -> Result<Model, AnalysisError> {
        let input = session
            .inputs()
            .first()
            .map(|outlet| outlet.name().to_owned())
            .ok_or_else(|| {
                AnalysisError::Inference(format!("the OCR {role} model has no input"))
            })?;
        Ok(Model {
            session,
            input,
            role,
        })
    }
}

/// The OCR engine: the three PP-OCR sessions, the recogniser's alphabet and the options.
pub struct Ocr {
    det: Model,
    cls: Model,
    rec: Model,
    charset: Charset,
    options: OcrOptions,
    timings: OcrTimings,
}

impl Ocr {
    /// From sessions of `ch_PP-OCRv4_det_infer.onnx`, `ch_ppocr_mobile_v2.0_cls_infer.onnx` and
    /// `ch_PP-OCRv4_rec_infer.onnx`. Fails when the recogniser has no `character` metadata.
    pub fn new(det: Session, cls: Session, rec: Session) -> Result<Ocr, AnalysisError> {
        let characters = rec
            .metadata()
            .map_err(inference)?
            .custom("character")
            .ok_or_else(|| {
                AnalysisError::Inference("the OCR recogniser has no 'character' metadata".into())
            })?;
        let charset = Charset::from_metadata(&characters);
        if charset.is_empty() {
            return Err(AnalysisError::Inference(
                "the OCR recogniser's 'character' metadata is empty".into(),
            ));
        }
        Ok(Ocr {
            det: Model::new(det, "detection")?,
            cls: Model::new(cls, "direction")?,
            rec: Model::new(rec, "recognition")?,
            charset,
            options: OcrOptions::default(),
            timings: OcrTimings::default(),
        })
    }

    /// The same engine with other options.
    pub fn with_options(mut self, options: OcrOptions) -> Ocr {
        self.options = options;
        self
    }

    /// Where the time of the last [`Ocr::read`] went.
    pub fn timings(&self) -> OcrTimings {
        self.timings
    }

    /// Text lines in `img` (an upright RGB photo, long side up to ~1280 px), in reading order.
    pub fn read(&mut self, img: &RgbImage) -> Result<Vec<TextLine>, AnalysisError> {
        self.timings = OcrTimings::default();
        if img.width() == 0 || img.height() == 0 {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let work = WorkingImage::prepare(img)?;
        let boxes = self.detect(&work.image)?;
        self.timings.det = started.elapsed();
        self.timings.boxes = boxes.len();

        let started = Instant::now();
        let (boxes, mut strips): (Vec<Quad>, Vec<RgbImage>) = boxes
            .into_iter()
            .filter_map(|quad| crop::crop_box(&work.image, &quad).map(|strip| (quad, strip)))
            .unzip();
        self.timings.crop = started.elapsed();
        if strips.is_empty() {
            return Ok(Vec::new());
        }

        if self.options.use_cls {
            let started = Instant::now();
            orientation::fix_orientation(&mut self.cls, &mut strips)?;
            self.timings.cls = started.elapsed();
        }

        let started = Instant::now();
        let texts = recognize::recognize(&mut self.rec, &self.charset, &strips)?;
        self.timings.rec = started.elapsed();

        Ok(boxes
            .iter()
            .zip(texts)
            .filter(|(_, (text, score))| is_worth_keeping(text, *score, self.options.text_score))
            .map(|(quad, (text, score))| TextLine {
                text,
                score,
                quad: work.to_photo(quad),
            })
            .collect())
    }

    /// Text boxes in `image` (pixels of it), in reading order.
    fn detect(&mut self, image: &RgbImage) -> Result<Vec<Quad>, AnalysisError> {
        let (w, h) = detect::input_size(image.width(), image.height());
        let resized = resize_exact(image, w, h).map_err(|p| AnalysisError::Image(p.0))?;
        let (w, h) = (w as usize, h as usize);
        let mut input = vec![0.0f32; 3 * w * h];
        write_normalized_chw(&resized, w, &mut input);
        let (shape, probs) = run_model(&mut self.det, [1, 3, h, w], input)?;
        let [1, 1, map_h, map_w] = shape[..] else {
            return Err(AnalysisError::Inference(format!(
                "text detector gave shape {shape:?}"
            )));
        };
        let map = detect::ProbMap {
            data: &probs,
            width: map_w,
            height: map_h,
        };
        Ok(detect::boxes_from_map(
            &map,
            image.width(),
            image.height(),
            &self.options.db,
        ))
    }
}

/// The image the detector and the crops work on (rapidocr's `preprocess` + `maybe_add_letterbox`), and
/// how to map its pixels back to the photo.
struct WorkingImage<'a> {
    image: Cow<'a, RgbImage>,
    /// Photo pixels per working pixel, x and y.
    scale: [f64; 2],
    /// Rows of letterbox added above the (resized) photo.
    top: u32,
    /// The photo's size.
    photo: [f64; 2],
}

impl<'a> WorkingImage<'a> {
    fn prepare(img: &'a RgbImage) -> Result<WorkingImage<'a>, AnalysisError> {
        let (w, h) = (img.width() as f64, img.height() as f64);
        let mut image = Cow::Borrowed(img);
        if w.max(h) > MAX_SIDE_LEN {
            image = Cow::Owned(resize_by(&image, MAX_SIDE_LEN / w.max(h))?);
        }
        let short = image.width().min(image.height()) as f64;
        if short < MIN_SIDE_LEN {
            image = Cow::Owned(resize_by(&image, MIN_SIDE_LEN / short)?);
        }
        let scale = [w / image.width() as f64, h / image.height() as f64];
        let top = letterbox_rows(image.width(), image.height());
        if top > 0 {
            image = Cow::Owned(letterbox(&image, top));
        }
        Ok(WorkingImage {
            image,
            scale,
            top,
            photo: [w, h],
        })
    }

    /// A box in working pixels as corners normalised to the photo (clipped to it).
    fn to_photo(&self, quad: &Quad) -> [[f32; 2]; 4] {
        quad.map(|[x, y]| {
            let px = (x * self.scale[0]).clamp(0.0, self.photo[0]);
            let py = ((y - self.top as f64) * self.scale[1]).clamp(0.0, self.photo[1]);
            [(px / self.photo[0]) as f32, (py / self.photo[1]) as f32]
        })
    }
}

/// rapidocr's `reduce_max_side` / `increase_min_side` resize: both sides scaled by `ratio`, truncated, then
/// rounded to a multiple of 32 (at least 32, where rapidocr would raise an error).
/// Whether a recognised line is text a user could search for. Lines below the text score go, and so
/// does what the recogniser reads into texture, icons and mirrored text on photos with no real text:
/// lines without a single letter or digit, and one- or two-character lines it is not sure of.
pub(crate) fn is_worth_keeping(text: &str, score: f32, text_score: f32) -> bool {
    const SHORT_LINE_SCORE: f32 = 0.8;
    let text = text.trim();
    if score < text_score || !text.chars().any(char::is_alphanumeric) {
        return false;
    }
    text.chars().count() > 2 || score >= SHORT_LINE_SCORE
}

fn resize_by(img: &RgbImage, ratio: f64) -> Result<RgbImage, AnalysisError> {
    let side =
        |s: u32| ((((s as f64 * ratio).floor() / 32.0).round_ties_even() * 32.0) as u32).max(32);
    resize_exact(img, side(img.width()), side(img.height())).map_err(|p| AnalysisError::Image(p.0))
}

/// Rows of black to add above and below an image that is very flat (`maybe_add_letterbox`), or 0.
fn letterbox_rows(width: u32, height: u32) -> u32 {
    if height > MIN_HEIGHT && (width as f64 / height as f64) <= WIDTH_HEIGHT_RATIO {
        return 0;
    }
    let new_height = ((width as f64 / WIDTH_HEIGHT_RATIO) as u32).max(MIN_HEIGHT) * 2;
    new_height.abs_diff(height) / 2
}

/// The image with `rows` rows of black above and below.
fn letterbox(img: &RgbImage, rows: u32) -> RgbImage {
    let mut out = RgbImage::new(img.width(), img.height() + 2 * rows);
    image::imageops::replace(&mut out, img, 0, rows as i64);
    out
}

/// Writes `img` as three planes B, G, R of `img.height()` × `plane_width` values `v / 127.5 − 1` into the
/// start of `out`; columns past the image's width are left as they are (zero padding).
pub(crate) fn write_normalized_chw(img: &RgbImage, plane_width: usize, out: &mut [f32]) {
    let plane = img.height() as usize * plane_width;
    let width = (img.width() as usize).min(plane_width);
    for (y, row) in img.rows().enumerate() {
        for (x, px) in row.take(width).enumerate() {
            let at = y * plane_width + x;
            for (c, &v) in px.0.iter().rev().enumerate() {
                out[c * plane + at] = v as f32 / 127.5 - 1.0;
            }
        }
    }
}

/// Indices of `strips` sorted by width/height ratio (stable), in consecutive batches of `size`.
pub(crate) fn batches_by_aspect(strips: &[RgbImage], size: usize) -> Vec<Vec<usize>> {
    let ratio = |i: usize| strips[i].width() as f64 / strips[i].height().max(1) as f64;
    let mut order: Vec<usize> = (0..strips.len()).collect();
    order.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)));
    order.chunks(size.max(1)).map(<[usize]>::to_vec).collect()
}

/// Runs a model on one `f32` tensor and returns its first output's shape and values.
pub(crate) fn run_model(
    model: &mut Model,
    shape: [usize; 4],
    data: Vec<f32>,
) -> Result<(Vec<usize>, Vec<f32>), AnalysisError> {
    let role = model.role;
    let fail = |e: ort::Error| AnalysisError::Inference(format!("OCR {role} model: {e}"));
    let tensor = Tensor::from_array((shape, data)).map_err(fail)?;
    let outputs = model
        .session
        .run(ort::inputs![model.input.as_str() => tensor])
        .map_err(fail)?;
    let (out_shape, values) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
    let out_shape = out_shape.iter().map(|&d| d.max(0) as usize).collect();
    Ok((out_shape, values.to_vec()))
}

fn inference(e: impl std::fmt::Display) -> AnalysisError {
    AnalysisError::Inference(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_lines_are_dropped() {
        assert!(is_worth_keeping("Sale 50%", 0.9, 0.5));
        assert!(is_worth_keeping("No", 0.95, 0.5));
        assert!(is_worth_keeping("东京", 0.9, 0.5));
        assert!(!is_worth_keeping("Sale 50%", 0.4, 0.5));
        assert!(!is_worth_keeping("★", 0.99, 0.5));
        assert!(!is_worth_keeping(" -- ", 0.99, 0.5));
        assert!(!is_worth_keeping("O", 0.6, 0.5));
        assert!(!is_worth_keeping("米米", 0.7, 0.5));
    }

    #[test]
    fn letterbox_only_for_flat_images() {
        assert_eq!(letterbox_rows(1280, 960), 0);
        assert_eq!(letterbox_rows(800, 100), 0); // ratio exactly 8
                                                 // 900 × 100: new height max(112, 30) × 2 = 224, so (224 − 100) / 2 = 62 rows each side.
        assert_eq!(letterbox_rows(900, 100), 62);
        assert_eq!(letterbox(&RgbImage::new(900, 100), 62).height(), 224);
    }

    #[test]
    fn working_image_maps_back_to_the_photo() {
        let img = RgbImage::new(3000, 100);
        let work = WorkingImage::prepare(&img).unwrap();
        // 3000 × 100 → 2000 × 66 → sides rounded to multiples of 32 (62.5 rounds half to even): 1984 × 64;
        // then 1984 / 8 = 248 → 496 high: 216 rows of letterbox on each side.
        assert_eq!(
            (work.image.width(), work.image.height(), work.top),
            (1984, 496, 216)
        );
        let quad = [[0.0, 216.0], [1984.0, 216.0], [1984.0, 280.0], [0.0, 280.0]];
        assert_eq!(
            work.to_photo(&quad),
            [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
        );
        let tiny = RgbImage::new(1, 1);
        let work = WorkingImage::prepare(&tiny).unwrap();
        assert_eq!(
            (work.image.width(), work.image.height(), work.top),
            (32, 32, 0)
        );
    }

    #[test]
    fn normalized_planes_are_bgr_and_padded() {
        let img = RgbImage::from_pixel(2, 1, image::Rgb([255, 0, 127]));
        let mut out = vec![9.0; 3 * 3];
        write_normalized_chw(&img, 3, &mut out);
        assert_eq!(out[0], 127.0 / 127.5 - 1.0); // B
        assert_eq!(out[3], -1.0); // G
        assert_eq!(out[6], 1.0); // R
        assert_eq!(out[2], 9.0); // padding untouched
    }

    #[test]
    fn batches_sorted_by_aspect() {
        let strips: Vec<RgbImage> = [30, 10, 20].iter().map(|&w| RgbImage::new(w, 10)).collect();
        assert_eq!(batches_by_aspect(&strips, 2), vec![vec![1, 2], vec![0]]);
    }
}

//! Where a face is on an image, in that image's pixels: what detection finds and every per-face
//! network crops and aligns from.

/// A face on the working image, in its pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceGeometry {
    /// x, y, width, height.
    pub bbox: [f32; 4],
    /// Left eye, right eye (as seen), nose tip, left and right mouth corner.
    pub landmarks: [[f32; 2]; 5],
}

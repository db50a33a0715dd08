//! Vectors: the dot product (cosine similarity of unit vectors), and [`Element`], what an index
//! stores a vector as — `f32` as given, or `i8` (each vector scaled so its largest component is
//! ±127; the cosine is then the integer dot product over the two norms, within about 0.002 of the
//! float one for 1,280-d image descriptors).

/// Dot product of two equally long slices (cosine similarity of unit vectors), written so the
/// compiler vectorises it.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

/// Integer dot product of two equally long `i8` slices (exact; vectorised like [`dot`]).
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..16 {
            acc[i] += i32::from(x[i]) * i32::from(y[i]);
        }
    }
    let tail: i32 = ra
        .iter()
        .zip(rb)
        .map(|(x, y)| i32::from(*x) * i32::from(*y))
        .sum();
    acc.iter().sum::<i32>() + tail
}

/// Scales `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
}

/// How an index holds one component of a vector.
pub trait Element: Copy + Default + Send + Sync + 'static {
    /// Whether stored vectors are already unit length, so a raw dot product is the cosine (`f32`:
    /// the caller gives unit vectors); otherwise the index divides by the two norms.
    const UNIT: bool;
    /// The dot product in the element's own units.
    fn dot(a: &[Self], b: &[Self]) -> f32;
    /// The vector as floats (not normalised).
    fn to_f32(v: &[Self]) -> Vec<f32>;
    /// A unit vector in this representation.
    fn encode(unit: &[f32]) -> Vec<Self>;
}

impl Element for f32 {
    const UNIT: bool = true;

    fn dot(a: &[f32], b: &[f32]) -> f32 {
        dot(a, b)
    }

    fn to_f32(v: &[f32]) -> Vec<f32> {
        v.to_vec()
    }

    fn encode(unit: &[f32]) -> Vec<f32> {
        unit.to_vec()
    }
}

impl Element for i8 {
    const UNIT: bool = false;

    fn dot(a: &[i8], b: &[i8]) -> f32 {
        dot_i8(a, b) as f32
    }

    fn to_f32(v: &[i8]) -> Vec<f32> {
        v.iter().map(|&x| f32::from(x)).collect()
    }

    fn encode(unit: &[f32]) -> Vec<i8> {
        let largest = unit.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if largest > 0.0 { 127.0 / largest } else { 0.0 };
        unit.iter()
            .map(|x| (x * scale).round().clamp(-127.0, 127.0) as i8)
            .collect()
    }
}

/// The cosine similarity of two encoded vectors.
pub fn cosine<E: Element>(a: &[E], b: &[E]) -> f32 {
    let ab = E::dot(a, b);
    if E::UNIT {
        return ab;
    }
    cosine_from_dots(ab, E::dot(a, a), E::dot(b, b))
}

/// The cosine similarity from the dot product `ab` and the squared norms `aa` and `bb` (each an
/// [`Element::dot`]): what [`cosine`] computes for vectors that are not unit length, for callers
/// that keep the norms of the vectors they compare again and again (the same result, bit for bit).
pub fn cosine_from_dots(ab: f32, aa: f32, bb: f32) -> f32 {
    let norms = (aa * bb).sqrt();
    if norms > 0.0 {
        ab / norms
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_the_plain_sum() {
        let a: Vec<f32> = (0..19).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..19).map(|i| 1.0 - i as f32 * 0.1).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
        let (p, q): (Vec<i8>, Vec<i8>) = ((0..37).map(|i| i - 18).collect(), vec![-3; 37]);
        let plain: i32 = p.iter().zip(&q).map(|(x, y)| *x as i32 * *y as i32).sum();
        assert_eq!(dot_i8(&p, &q), plain);
    }

    #[test]
    fn eight_bit_vectors_keep_the_cosine() {
        let mut a: Vec<f32> = (0..1280)
            .map(|i| ((i * 7919) % 113) as f32 / 113.0)
            .collect();
        let mut b: Vec<f32> = a
            .iter()
            .enumerate()
            .map(|(i, x)| x + ((i * 31) % 17) as f32 / 40.0)
            .collect();
        normalize(&mut a);
        normalize(&mut b);
        let exact = dot(&a, &b);
        let coded = cosine(&i8::encode(&a), &i8::encode(&b));
        assert!((exact - coded).abs() < 0.003, "{exact} vs {coded}");
        assert!((cosine(&i8::encode(&a), &i8::encode(&a)) - 1.0).abs() < 1e-6);
        assert_eq!(cosine::<i8>(&[0, 0], &[1, 2]), 0.0);
    }
}

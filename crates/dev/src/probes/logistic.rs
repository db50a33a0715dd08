//! L2-regularised multinomial logistic regression (linfa-logistic, L-BFGS) on standardised features,
//! returned as one linear map on the raw features (the standardisation folded in), so a probe is just
//! weights and biases.
//!
//! Features come in blocks (one per descriptor). After standardising, each block is scaled so that
//! every block carries the same total variance: otherwise one penalty over, say, 1,024 faceres columns
//! and 7 emotion columns spends almost all of its budget on the big block and mutes the small one.

use anyhow::{anyhow, Result};
use linfa::prelude::*;
use linfa::Dataset;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};

pub use argus_api::probes::Linear;

/// Fits `classes`-way logistic regression with inverse regularisation strength `c` (as in
/// scikit-learn: the penalty is `‖w‖² / 2c` against the summed log-loss). `blocks` are the widths of
/// the feature blocks, in column order, summing to the row length.
pub fn fit(
    x: &[Vec<f32>],
    y: &[usize],
    classes: usize,
    c: f64,
    blocks: &[usize],
) -> Result<Linear> {
    let (n, d) = (x.len(), x.first().map_or(0, Vec::len));
    if n == 0 || y.len() != n || y.iter().any(|&k| k >= classes) {
        return Err(anyhow!("bad training data: {n} rows, {} labels", y.len()));
    }
    if blocks.iter().sum::<usize>() != d || blocks.contains(&0) {
        return Err(anyhow!("feature blocks {blocks:?} do not tile {d} columns"));
    }
    let mut mean = vec![0f64; d];
    for row in x {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += *v as f64 / n as f64;
        }
    }
    let mut scale = vec![0f64; d];
    for row in x {
        for ((s, v), m) in scale.iter_mut().zip(row).zip(&mean) {
            *s += (*v as f64 - m).powi(2) / n as f64;
        }
    }
    // Constant features stay 0 after standardising and get no weight.
    let balance = block_balance(blocks);
    let scale: Vec<f64> = scale
        .iter()
        .zip(&balance)
        .map(|(v, b)| if *v > 1e-12 { b / v.sqrt() } else { 0.0 })
        .collect();
    let z = Array2::from_shape_fn((n, d), |(i, j)| (x[i][j] as f64 - mean[j]) * scale[j]);
    let targets = Array1::from_iter(y.iter().copied());
    let model = MultiLogisticRegression::default()
        .alpha(1.0 / c)
        .max_iterations(2000)
        .fit(&Dataset::new(z, targets))
        .map_err(|e| anyhow!("logistic regression failed: {e}"))?;
    // params: d × K over the classes present, in sorted order (every class must be present).
    let (params, intercept) = (model.params(), model.intercept());
    if model.classes() != (0..classes).collect::<Vec<_>>().as_slice() {
        return Err(anyhow!("every class needs training examples"));
    }
    let weights: Vec<Vec<f32>> = (0..classes)
        .map(|k| (0..d).map(|j| (params[[j, k]] * scale[j]) as f32).collect())
        .collect();
    let bias = (0..classes)
        .map(|k| {
            let shift: f64 = (0..d).map(|j| params[[j, k]] * scale[j] * mean[j]).sum();
            (intercept[k] - shift) as f32
        })
        .collect();
    Ok(Linear { weights, bias })
}

/// Per column, the factor that gives each block of standardised columns the same total variance:
/// `sqrt(d / (blocks · width))` (1 for a single block).
fn block_balance(blocks: &[usize]) -> Vec<f64> {
    let d: usize = blocks.iter().sum();
    blocks
        .iter()
        .flat_map(|&w| {
            let factor = (d as f64 / (blocks.len() * w) as f64).sqrt();
            std::iter::repeat_n(factor, w)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_and_folds_the_standardisation_in() {
        // Class 1 where the second feature is large; the first is noise on another scale.
        let x: Vec<Vec<f32>> = (0..200)
            .map(|i| vec![1000.0 + (i % 7) as f32 * 50.0, (i % 2) as f32 * 4.0 + 10.0])
            .collect();
        let y: Vec<usize> = (0..200).map(|i| i % 2).collect();
        let model = fit(&x, &y, 2, 1.0, &[2]).unwrap();
        assert!(model.probabilities(&[1100.0, 14.0])[1] > 0.9);
        assert!(model.probabilities(&[1100.0, 10.0])[0] > 0.9);
        let p = model.probabilities(&[1000.0, 12.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn refuses_a_missing_class() {
        let x = vec![vec![1.0], vec![2.0]];
        assert!(fit(&x, &[0, 0], 2, 1.0, &[1]).is_err());
        assert!(fit(&x, &[0, 3], 2, 1.0, &[1]).is_err());
        assert!(fit(&x, &[0, 1], 2, 1.0, &[2]).is_err());
    }

    #[test]
    fn blocks_share_the_variance_equally() {
        let balance = block_balance(&[6, 2]);
        // 6 columns × (8/12) = 4 and 2 columns × (8/4) = 4: equal shares of 8.
        assert!((balance[0].powi(2) * 6.0 - 4.0).abs() < 1e-12);
        assert!((balance[7].powi(2) * 2.0 - 4.0).abs() < 1e-12);
        assert_eq!(block_balance(&[5]), vec![1.0; 5]);
    }
}

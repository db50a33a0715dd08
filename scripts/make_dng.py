"""Make a real DNG (Bayer RGGB, 16-bit, uncompressed) from a JPEG, with PyPI's pidng.

    python make_dng.py SOURCE.jpg OUT.dng [--orientation N]

The JPEG's pixels are linearised (sRGB → linear light) and sampled through an RGGB colour filter array, so
a RAW developer has to demosaic, white-balance and colour-convert them back: the DNG is a real raw file
whose developed image matches the JPEG. The colour matrix is the XYZ → linear-sRGB one (the "camera" sees
in sRGB primaries), illuminant D65, neutral white balance. With --orientation 6 (or 8) the pixels are
stored rotated the other way and the DNG's Orientation tag turns them upright again, like a camera held
in portrait. Date, make, model and exposure come from the JPEG's EXIF when it has them.

Run by scripts/fetch-formats.sh in a throw-away venv (pidng, numpy, pillow); not needed by Argus itself.
"""

import argparse

import numpy as np
from PIL import Image
from pidng.core import DNGBASE
from pidng.defs import CalibrationIlluminant, CFAPattern, DNGVersion, PhotometricInterpretation
from pidng.dng import DNGTags, Tag

XYZ_TO_LINEAR_SRGB = [
    [3.2406, -1.5372, -0.4986],
    [-0.9689, 1.8758, 0.0415],
    [0.0557, -0.2040, 1.0570],
]


def rational(value, denominator=10000):
    return [int(round(value * denominator)), denominator]


def linear_bayer(rgb):
    """RGGB mosaic of the linearised image, 16-bit."""
    srgb = rgb.astype(np.float64) / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    h, w = linear.shape[0] & ~1, linear.shape[1] & ~1
    linear = linear[:h, :w]
    mosaic = np.empty((h, w), dtype=np.float64)
    mosaic[0::2, 0::2] = linear[0::2, 0::2, 0]
    mosaic[0::2, 1::2] = linear[0::2, 1::2, 1]
    mosaic[1::2, 0::2] = linear[1::2, 0::2, 1]
    mosaic[1::2, 1::2] = linear[1::2, 1::2, 2]
    return np.clip(mosaic * 65535.0 + 0.5, 0, 65535).astype(np.uint16)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--orientation", type=int, default=1, choices=[1, 3, 6, 8])
    args = parser.parse_args()

    image = Image.open(args.source)
    exif = image.getexif()
    ifd = exif.get_ifd(0x8769)
    rgb = image.convert("RGB")
    # Store the pixels so that applying the Orientation tag gives back the JPEG as seen.
    stored = {
        1: rgb,
        3: rgb.transpose(Image.Transpose.ROTATE_180),
        6: rgb.transpose(Image.Transpose.ROTATE_90),
        8: rgb.transpose(Image.Transpose.ROTATE_270),
    }[args.orientation]
    mosaic = linear_bayer(np.asarray(stored))
    height, width = mosaic.shape

    tags = DNGTags()
    tags.set(Tag.ImageWidth, width)
    tags.set(Tag.ImageLength, height)
    tags.set(Tag.TileWidth, width)
    tags.set(Tag.TileLength, height)
    tags.set(Tag.Orientation, args.orientation)
    tags.set(Tag.PhotometricInterpretation, PhotometricInterpretation.Color_Filter_Array)
    tags.set(Tag.SamplesPerPixel, 1)
    tags.set(Tag.BitsPerSample, 16)
    tags.set(Tag.CFARepeatPatternDim, [2, 2])
    tags.set(Tag.CFAPattern, CFAPattern.RGGB)
    tags.set(Tag.BlackLevel, 0)
    tags.set(Tag.WhiteLevel, 65535)
    tags.set(Tag.ColorMatrix1, [rational(v) for row in XYZ_TO_LINEAR_SRGB for v in row])
    tags.set(Tag.CalibrationIlluminant1, CalibrationIlluminant.D65)
    tags.set(Tag.AsShotNeutral, [[1, 1], [1, 1], [1, 1]])
    tags.set(Tag.BaselineExposure, [[0, 100]])
    tags.set(Tag.DNGVersion, DNGVersion.V1_4)
    tags.set(Tag.DNGBackwardVersion, DNGVersion.V1_2)
    make = str(exif.get(0x010F, "Argus")).strip("\0 ")
    model = str(exif.get(0x0110, "pidng test camera")).strip("\0 ")
    tags.set(Tag.Make, make)
    tags.set(Tag.Model, model)
    tags.set(Tag.UniqueCameraModel, f"{make} {model}")
    tags.set(Tag.Software, "Argus scripts/make_dng.py (pidng)")
    taken = ifd.get(0x9003) or exif.get(0x0132)
    if taken:
        tags.set(Tag.DateTimeOriginal, str(taken).strip("\0 "))
        tags.set(Tag.DateTime, str(taken).strip("\0 "))

    converter = DNGBASE()
    converter.options(tags, path="", compress=False)
    data = converter.convert(mosaic)
    with open(args.out, "wb") as out:
        out.write(data)


if __name__ == "__main__":
    main()

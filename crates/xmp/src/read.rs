//! One XMP packet → [`PhotoMetadata`]: keywords (`dc:subject`, `lr:hierarchicalSubject`,
//! `digiKam:TagsList`, `MicrosoftPhoto:LastKeywordXMP`), rating, label, title, caption, creator,
//! copyright, face regions (MWG `mwg-rs:Regions`, Microsoft `MP:RegionInfo`) and
//! `Iptc4xmpExt:PersonInImage`.
//!
//! Regions are turned upright here: MWG's guidelines apply a region to the image *as stored*, so the
//! photo's EXIF orientation is applied to the box, as to the pixels.

use argus_core::metadata::{
    NormBox, PhotoMetadata, Region, RegionSource, MAX_KEYWORDS, MAX_REGIONS,
};

use crate::namespaces::*;
use crate::rdf::{find, properties, Property, Value};
use crate::{dom, keywords, XmpError};

/// What a packet holds, and what in it could not be used (each a sentence for the user).
#[derive(Debug, Default)]
pub struct PacketRead {
    pub metadata: PhotoMetadata,
    pub problems: Vec<String>,
}

/// Reads an XMP packet (the text of a sidecar or of an embedded packet). `orientation` is the photo's
/// EXIF orientation, which turns the regions upright.
pub fn read_packet(packet: &str, orientation: Option<u16>) -> Result<PacketRead, XmpError> {
    let document = dom::parse(packet.trim_start_matches('\u{feff}'))?;
    let props = properties(&document);
    let mut out = PacketRead::default();

    let mut hierarchical: Vec<String> = Vec::new();
    for (namespace, name, separator) in [
        (LIGHTROOM, "hierarchicalSubject", '|'),
        (DIGIKAM, "TagsList", '/'),
        (MICROSOFT_PHOTO, "LastKeywordXMP", '/'),
    ] {
        for keyword in texts(&props, namespace, name) {
            hierarchical.push(keywords::from_levels(keyword.split(separator)));
        }
    }
    let flat: Vec<String> = texts(&props, DC, "subject")
        .into_iter()
        .map(str::to_string)
        .collect();
    if hierarchical.len() + flat.len() > MAX_KEYWORDS {
        out.problems.push(format!(
            "{} keywords; only the first {MAX_KEYWORDS} are kept",
            hierarchical.len() + flat.len()
        ));
    }
    let m = &mut out.metadata;
    m.keywords = keywords::combine(&hierarchical, &flat);

    m.rating = find(&props, XMP, "Rating")
        .and_then(Value::text)
        .and_then(rating_from_stars)
        .or_else(|| {
            find(&props, MICROSOFT_PHOTO, "Rating")
                .and_then(Value::text)
                .and_then(rating_from_percent)
        });
    m.label = text(&props, XMP, "Label");
    m.title = text(&props, DC, "title").or_else(|| text(&props, PHOTOSHOP, "Headline"));
    m.caption = text(&props, DC, "description");
    m.creator = {
        let creators = texts(&props, DC, "creator");
        (!creators.is_empty()).then(|| crate::limit_text(&creators.join("; ")))
    };
    m.copyright = text(&props, DC, "rights");
    m.people = texts(&props, IPTC_EXT, "PersonInImage")
        .into_iter()
        .map(crate::limit_text)
        .filter(|n| !n.is_empty())
        .collect();

    let mut regions = mwg_regions(&props, orientation, &mut out.problems);
    if regions.is_empty() {
        regions = microsoft_regions(&props, orientation, &mut out.problems);
    }
    if regions.len() > MAX_REGIONS {
        out.problems.push(format!(
            "{} regions; only the first {MAX_REGIONS} are kept",
            regions.len()
        ));
        regions.truncate(MAX_REGIONS);
    }
    m.regions = regions;
    Ok(out)
}

fn text(props: &[Property], namespace: &str, name: &str) -> Option<String> {
    find(props, namespace, name)
        .and_then(Value::text)
        .map(crate::limit_text)
        .filter(|t| !t.is_empty())
}

fn texts<'p>(props: &'p [Property], namespace: &str, name: &str) -> Vec<&'p str> {
    props
        .iter()
        .filter(|p| p.namespace == namespace && p.name == name)
        .flat_map(|p| p.value.texts())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect()
}

/// `xmp:Rating`: -1 (rejected) or 1..=5; 0 and anything unreadable is no rating.
fn rating_from_stars(text: &str) -> Option<i8> {
    let value: f64 = text.trim().parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    match value.round() as i64 {
        v if v < 0 => Some(-1),
        0 => None,
        v => Some(v.min(5) as i8),
    }
}

/// `MicrosoftPhoto:Rating` is a percentage (1, 25, 50, 75, 99 for one to five stars).
fn rating_from_percent(text: &str) -> Option<i8> {
    let value: f64 = text.trim().parse().ok()?;
    match value {
        v if !(1.0..=100.0).contains(&v) => None,
        v if v < 13.0 => Some(1),
        v if v < 38.0 => Some(2),
        v if v < 63.0 => Some(3),
        v if v < 88.0 => Some(4),
        _ => Some(5),
    }
}

fn number(value: Option<&Value>) -> Option<f64> {
    value?.text()?.trim().parse().ok()
}

/// MWG regions: `mwg-rs:Regions/mwg-rs:RegionList[]` with an `mwg-rs:Area` (centre x, y, width,
/// height; normalised, or pixels of `AppliedToDimensions`).
fn mwg_regions(
    props: &[Property],
    orientation: Option<u16>,
    problems: &mut Vec<String>,
) -> Vec<Region> {
    let Some(regions) = find(props, MWG_REGIONS, "Regions") else {
        return Vec::new();
    };
    let applied = regions.field(MWG_REGIONS, "AppliedToDimensions");
    let applied_w = number(applied.and_then(|a| a.field(ST_DIMENSIONS, "w")));
    let applied_h = number(applied.and_then(|a| a.field(ST_DIMENSIONS, "h")));
    let Some(list) = regions.field(MWG_REGIONS, "RegionList") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.items() {
        let name = region_name(item, MWG_REGIONS, "Name");
        let kind = item
            .field(MWG_REGIONS, "Type")
            .and_then(Value::text)
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "face".to_string());
        let label = name.clone().unwrap_or_else(|| format!("a {kind} region"));
        let Some(area) = item.field(MWG_REGIONS, "Area") else {
            problems.push(format!("region {label:?} has no area"));
            continue;
        };
        let coordinate = |n: &str| number(area.field(ST_AREA, n));
        let (Some(mut cx), Some(mut cy), Some(mut w), Some(mut h)) = (
            coordinate("x"),
            coordinate("y"),
            coordinate("w"),
            coordinate("h"),
        ) else {
            problems.push(format!("region {label:?} lacks a coordinate"));
            continue;
        };
        let unit = area
            .field(ST_AREA, "unit")
            .and_then(Value::text)
            .unwrap_or("normalized");
        if unit.eq_ignore_ascii_case("pixel") {
            let (Some(aw), Some(ah)) = (
                applied_w.filter(|v| *v > 0.0),
                applied_h.filter(|v| *v > 0.0),
            ) else {
                problems.push(format!(
                    "region {label:?} is in pixels but the image size it applies to is missing"
                ));
                continue;
            };
            (cx, w) = (cx / aw, w / aw);
            (cy, h) = (cy / ah, h / ah);
        }
        let stored = NormBox {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        };
        match checked_box(stored, &label, problems) {
            Some(b) => out.push(Region {
                kind,
                name,
                area: b.stored_to_upright(orientation),
                source: RegionSource::Mwg,
            }),
            None => continue,
        }
    }
    out
}

/// Microsoft regions: `MP:RegionInfo/MPRI:Regions[]` with `MPReg:Rectangle` ("x, y, w, h" from the
/// top-left, normalised) and `MPReg:PersonDisplayName`. They mark people, so every one is a face.
fn microsoft_regions(
    props: &[Property],
    orientation: Option<u16>,
    problems: &mut Vec<String>,
) -> Vec<Region> {
    let Some(list) =
        find(props, MP, "RegionInfo").and_then(|info| info.field(MP_REGION_INFO, "Regions"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.items() {
        let name = region_name(item, MP_REGION, "PersonDisplayName");
        let label = name.clone().unwrap_or_else(|| "a face region".into());
        let Some(rectangle) = item.field(MP_REGION, "Rectangle").and_then(Value::text) else {
            // A name without a rectangle tags the person on the whole photo: nothing to place.
            continue;
        };
        let numbers: Vec<f64> = rectangle
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        let [x, y, w, h] = numbers[..] else {
            problems.push(format!(
                "region {label:?} has an unreadable rectangle {rectangle:?}"
            ));
            continue;
        };
        if let Some(b) = checked_box(NormBox { x, y, w, h }, &label, problems) {
            out.push(Region {
                kind: Region::FACE.into(),
                name,
                area: b.stored_to_upright(orientation),
                source: RegionSource::Microsoft,
            });
        }
    }
    out
}

/// A region's name, when it has one that is not blank.
fn region_name(item: &Value, namespace: &str, field: &str) -> Option<String> {
    item.field(namespace, field)
        .and_then(Value::text)
        .map(crate::limit_text)
        .filter(|n| !n.trim().is_empty())
}

/// A box that lies on the image (a little overhang, as tools write for faces at the edge, is cut
/// off); anything else is a problem, and the region is dropped.
fn checked_box(b: NormBox, label: &str, problems: &mut Vec<String>) -> Option<NormBox> {
    let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
    let sane = b.is_finite_with_area()
        && b.w <= 1.01
        && b.h <= 1.01
        && (0.0..=1.0).contains(&cx)
        && (0.0..=1.0).contains(&cy);
    let clamped = b.clamped();
    if !sane || clamped.w <= 0.0 || clamped.h <= 0.0 {
        problems.push(format!(
            "region {label:?} lies outside the image (x {}, y {}, w {}, h {})",
            b.x, b.y, b.w, b.h
        ));
        return None;
    }
    Some(clamped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(body: &str) -> String {
        format!(
            r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{RDF}">
<rdf:Description rdf:about="" xmlns:dc="{DC}" xmlns:xmp="{XMP}" xmlns:lr="{LIGHTROOM}"
  xmlns:digiKam="{DIGIKAM}" xmlns:mwg-rs="{MWG_REGIONS}" xmlns:stArea="{ST_AREA}"
  xmlns:stDim="{ST_DIMENSIONS}" xmlns:MP="{MP}" xmlns:MPRI="{MP_REGION_INFO}"
  xmlns:MPReg="{MP_REGION}" xmlns:Iptc4xmpExt="{IPTC_EXT}">{body}</rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
        )
    }

    fn mwg(area: &str) -> String {
        format!(
            r#"<mwg-rs:Regions rdf:parseType="Resource">
  <mwg-rs:AppliedToDimensions stDim:w="400" stDim:h="200" stDim:unit="pixel"/>
  <mwg-rs:RegionList><rdf:Bag><rdf:li rdf:parseType="Resource">
    <mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>Ana</mwg-rs:Name>
    <mwg-rs:Area {area}/>
  </rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"#
        )
    }

    #[test]
    fn keywords_rating_and_texts() {
        let text = packet(
            r#"<xmp:Rating>4</xmp:Rating><xmp:Label>Red</xmp:Label>
<dc:subject><rdf:Bag><rdf:li>Ana</rdf:li><rdf:li>beach</rdf:li><rdf:li>People</rdf:li></rdf:Bag></dc:subject>
<lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Family|Ana</rdf:li></rdf:Bag></lr:hierarchicalSubject>
<digiKam:TagsList><rdf:Seq><rdf:li>People/Family/Ana</rdf:li><rdf:li>Places/Lisbon</rdf:li></rdf:Seq></digiKam:TagsList>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Summer</rdf:li></rdf:Alt></dc:title>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">At the sea</rdf:li></rdf:Alt></dc:description>
<dc:creator><rdf:Seq><rdf:li>Jo</rdf:li></rdf:Seq></dc:creator>
<Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Ana</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>"#,
        );
        let m = read_packet(&text, None).unwrap().metadata;
        assert_eq!(m.keywords, ["People/Family/Ana", "Places/Lisbon", "beach"]);
        assert_eq!(m.rating, Some(4));
        assert_eq!(m.label.as_deref(), Some("Red"));
        assert_eq!(m.title.as_deref(), Some("Summer"));
        assert_eq!(m.caption.as_deref(), Some("At the sea"));
        assert_eq!(m.creator.as_deref(), Some("Jo"));
        assert_eq!(m.people, ["Ana"]);
    }

    #[test]
    fn mwg_regions_are_centre_boxes_turned_upright() {
        let text = packet(&mwg(
            r#"stArea:x="0.25" stArea:y="0.5" stArea:w="0.1" stArea:h="0.2" stArea:unit="normalized""#,
        ));
        let r = read_packet(&text, None).unwrap().metadata.regions;
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name.as_deref(), Some("Ana"));
        assert_eq!(r[0].kind, "face");
        let a = r[0].area;
        assert!(
            (a.x - 0.2).abs() < 1e-9 && (a.y - 0.4).abs() < 1e-9,
            "{a:?}"
        );
        // The same region on a photo stored sideways (orientation 6).
        let turned = read_packet(&text, Some(6)).unwrap().metadata.regions[0].area;
        assert!(
            (turned.x - 0.4).abs() < 1e-9 && (turned.y - 0.2).abs() < 1e-9,
            "{turned:?}"
        );
        assert!((turned.w - 0.2).abs() < 1e-9 && (turned.h - 0.1).abs() < 1e-9);
    }

    #[test]
    fn pixel_regions_use_the_applied_dimensions() {
        let text = packet(&mwg(
            r#"stArea:x="100" stArea:y="100" stArea:w="40" stArea:h="40" stArea:unit="pixel""#,
        ));
        let a = read_packet(&text, None).unwrap().metadata.regions[0].area;
        assert!(
            (a.x - 0.2).abs() < 1e-9 && (a.y - 0.4).abs() < 1e-9,
            "{a:?}"
        );
    }

    #[test]
    fn absurd_coordinates_are_problems_not_regions() {
        for area in [
            r#"stArea:x="1e300" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1""#,
            r#"stArea:x="0.5" stArea:y="0.5" stArea:w="-3" stArea:h="0.1""#,
            r#"stArea:x="NaN" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1""#,
            r#"stArea:x="5" stArea:y="-7" stArea:w="0.1" stArea:h="0.1""#,
            r#"stArea:x="0.5" stArea:y="0.5" stArea:w="80" stArea:h="0.1""#,
        ] {
            let read = read_packet(&packet(&mwg(area)), None).unwrap();
            assert!(read.metadata.regions.is_empty(), "{area}");
            assert_eq!(read.problems.len(), 1, "{area}");
            assert!(read.problems[0].contains("Ana"), "{:?}", read.problems);
        }
    }

    #[test]
    fn microsoft_regions_are_read_when_there_are_no_mwg_ones() {
        let text = packet(
            r#"<MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
<rdf:li MPReg:Rectangle="0.1, 0.2, 0.3, 0.4" MPReg:PersonDisplayName="Bo"/>
</rdf:Bag></MPRI:Regions></MP:RegionInfo>"#,
        );
        let r = read_packet(&text, None).unwrap().metadata.regions;
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].source, RegionSource::Microsoft);
        assert_eq!(r[0].name.as_deref(), Some("Bo"));
        assert!((r[0].area.w - 0.3).abs() < 1e-9);
    }

    #[test]
    fn ratings() {
        assert_eq!(rating_from_stars("5"), Some(5));
        assert_eq!(rating_from_stars("3.0"), Some(3));
        assert_eq!(rating_from_stars("-1"), Some(-1));
        assert_eq!(rating_from_stars("0"), None);
        assert_eq!(rating_from_stars("9"), Some(5));
        assert_eq!(rating_from_stars("x"), None);
        assert_eq!(rating_from_percent("75"), Some(4));
        assert_eq!(rating_from_percent("1"), Some(1));
        assert_eq!(rating_from_percent("0"), None);
    }
}

//! Argus's facts merged into an XMP sidecar — never clobbering it. Argus owns only what it wrote:
//!
//! - hierarchical keywords under its root (`Argus|People|Ana` in `lr:hierarchicalSubject`,
//!   `Argus/People/Ana` in `digiKam:TagsList`), which it replaces as a whole;
//! - the flat `dc:subject` entries, face regions (by name) and `Iptc4xmpExt:PersonInImage` names it
//!   added itself — remembered in its own namespace (`argus:Owned…`), so a keyword or region another
//!   tool already had is never taken over, duplicated or removed;
//! - `xmp:Rating`, written only where the sidecar has none.
//!
//! Everything else (other namespaces, other tools' keywords and regions, edit histories, comments,
//! layout) is kept as it was. Merging the same facts twice gives the same text, so a second write
//! changes nothing.

use argus_core::metadata::{NormBox, KEYWORD_SEPARATOR};

use crate::dom::{self, Document, Element, Node};
use crate::namespaces::*;
use crate::rdf::{self, Value};
use crate::XmpError;

/// Argus's own namespace: what it added to the sidecar, so it can update exactly that.
pub const ARGUS: &str = "https://argus.photos/ns/xmp/1.0/";

/// Boxes of the same person overlapping this much are the same face (so another tool's region for it
/// is kept and Argus adds none).
const SAME_REGION_IOU: f64 = 0.3;

/// What Argus writes about one photo.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArgusFacts {
    /// Named faces, boxes on the upright image.
    pub faces: Vec<NamedFace>,
    /// Keyword paths below the root, levels joined by '/' (`People/Ana`, `Labels/cat`).
    pub keywords: Vec<String>,
    /// Flat keywords to carry into `dc:subject` as they are (the photo's own keywords).
    pub plain_keywords: Vec<String>,
    pub rating: Option<i8>,
    /// The image as stored, which MWG regions describe: width, height and EXIF orientation.
    pub stored_width: u32,
    pub stored_height: u32,
    pub orientation: Option<u16>,
}

/// A face and the name of its person.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedFace {
    pub name: String,
    pub area: NormBox,
}

/// How the facts are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// The root level of Argus's hierarchical keywords.
    pub keyword_root: String,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            keyword_root: "Argus".into(),
        }
    }
}

/// A new sidecar, before Argus's facts are merged in.
const EMPTY_SIDECAR: &str = "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"Argus\">
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">
  <rdf:Description rdf:about=\"\">
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end=\"w\"?>
";

/// The sidecar's text with `facts` merged in: `existing` (another tool's or Argus's earlier sidecar),
/// or a new sidecar when there is none.
pub fn merge_sidecar(
    existing: Option<&str>,
    facts: &ArgusFacts,
    options: &WriteOptions,
) -> Result<String, XmpError> {
    let text = existing.unwrap_or(EMPTY_SIDECAR);
    let mut doc = dom::parse(text.trim_start_matches('\u{feff}'))?;
    let description = argus_description(&mut doc)?;
    let description = description.as_slice();
    let root = options.keyword_root.trim_matches(KEYWORD_SEPARATOR).trim();

    // Hierarchical keywords: everything below the root is Argus's.
    let paths: Vec<String> = facts
        .keywords
        .iter()
        .map(|k| format!("{root}{KEYWORD_SEPARATOR}{k}"))
        .collect();
    for (property, separator) in [
        ((LIGHTROOM, "lr", "hierarchicalSubject", "Bag"), '|'),
        ((DIGIKAM, "digiKam", "TagsList", "Seq"), '/'),
    ] {
        let wanted: Vec<String> = paths
            .iter()
            .map(|p| p.replace(KEYWORD_SEPARATOR, &separator.to_string()))
            .collect();
        let below = format!("{root}{separator}");
        let own = |item: &str| item.starts_with(&below) || item == root;
        set_text_items(&mut doc, description, property, &wanted, own);
    }

    // Flat keywords and people's names: only those Argus added.
    let mut leaves: Vec<String> = facts
        .keywords
        .iter()
        .filter_map(|k| k.rsplit(KEYWORD_SEPARATOR).next().map(str::to_string))
        .chain(facts.plain_keywords.iter().cloned())
        .collect();
    dedupe(&mut leaves);
    merge_owned_items(
        &mut doc,
        description,
        (DC, "dc", "subject", "Bag"),
        "OwnedSubjects",
        &leaves,
    );
    let mut names: Vec<String> = facts.faces.iter().map(|f| f.name.clone()).collect();
    dedupe(&mut names);
    merge_owned_items(
        &mut doc,
        description,
        (IPTC_EXT, "Iptc4xmpExt", "PersonInImage", "Bag"),
        "OwnedPeople",
        &names,
    );
    merge_regions(&mut doc, description, facts);

    if let Some(rating) = facts.rating {
        let has_rating = rdf::find(&rdf::properties(&doc), XMP, "Rating").is_some();
        if !has_rating {
            let mut e = Element::new("xmp:Rating", XMP);
            e.children.push(Node::Text(rating.to_string()));
            declare(&mut e, "xmp", XMP);
            append_at(&mut doc, description, e);
        }
    }
    Ok(dom::write(&doc))
}

/// Where Argus adds properties: the first top-level `rdf:Description` (a path of child indices).
fn argus_description(doc: &mut Document) -> Result<Vec<usize>, XmpError> {
    let mut path = find_path(&doc.root, &|e| e.is(RDF, "RDF"))
        .ok_or_else(|| XmpError::Malformed("the sidecar has no rdf:RDF".into()))?;
    let position = element_at(doc, &path)
        .children
        .iter()
        .position(|n| matches!(n, Node::Element(e) if e.is(RDF, "Description")));
    let index = match position {
        Some(i) => i,
        None => {
            let mut d = Element::new("rdf:Description", RDF);
            d.set_attribute("rdf:about", Some(RDF), "");
            append_at(doc, &path, d)
        }
    };
    path.push(index);
    Ok(path)
}

/// The path (child indices) of the first element matching `test`, depth first.
fn find_path(element: &Element, test: &dyn Fn(&Element) -> bool) -> Option<Vec<usize>> {
    if test(element) {
        return Some(Vec::new());
    }
    for (i, child) in element.children.iter().enumerate() {
        if let Node::Element(e) = child {
            if let Some(mut rest) = find_path(e, test) {
                rest.insert(0, i);
                return Some(rest);
            }
        }
    }
    None
}

fn element_ref<'d>(doc: &'d Document, path: &[usize]) -> &'d Element {
    let mut e = &doc.root;
    for &i in path {
        e = match &e.children[i] {
            Node::Element(child) => child,
            _ => unreachable!("paths lead through elements"),
        };
    }
    e
}

fn element_at<'d>(doc: &'d mut Document, path: &[usize]) -> &'d mut Element {
    let mut e = &mut doc.root;
    for &i in path {
        e = match &mut e.children[i] {
            Node::Element(child) => child,
            _ => unreachable!("paths lead through elements"),
        };
    }
    e
}

/// The path of the property `name` in `namespace` (an element of a top-level description).
fn property_path(doc: &Document, namespace: &str, name: &str) -> Option<Vec<usize>> {
    let rdf_path = find_path(&doc.root, &|e| e.is(RDF, "RDF"))?;
    let rdf = element_ref(doc, &rdf_path);
    for (i, node) in rdf.children.iter().enumerate() {
        let Node::Element(d) = node else { continue };
        if !d.is(RDF, "Description") {
            continue;
        }
        for (j, p) in d.children.iter().enumerate() {
            if matches!(p, Node::Element(e) if e.is(namespace, name)) {
                let mut path = rdf_path.clone();
                path.extend([i, j]);
                return Some(path);
            }
        }
    }
    None
}

/// The index of the first child element of `path` matching `test`.
fn child_index(doc: &Document, path: &[usize], test: impl Fn(&Element) -> bool) -> Option<usize> {
    element_ref(doc, path)
        .children
        .iter()
        .position(|n| matches!(n, Node::Element(e) if test(e)))
}

fn is_array(e: &Element) -> bool {
    e.is(RDF, "Bag") || e.is(RDF, "Seq") || e.is(RDF, "Alt")
}

/// The array element (`rdf:Bag`/`rdf:Seq`/`rdf:Alt`) of property `(namespace, prefix, name)`, made
/// (with `container`) on the Argus description when the sidecar has none. Its path.
fn array_path(
    doc: &mut Document,
    description: &[usize],
    (namespace, prefix, name, container): (&str, &str, &str, &str),
) -> Vec<usize> {
    let mut path = match property_path(doc, namespace, name) {
        Some(p) => p,
        None => {
            let mut property = Element::new(&format!("{prefix}:{name}"), namespace);
            declare(&mut property, prefix, namespace);
            property.children.push(Node::Element(Element::new(
                &format!("rdf:{container}"),
                RDF,
            )));
            let index = append_at(doc, description, property);
            let mut p = description.to_vec();
            p.push(index);
            p
        }
    };
    let index = match child_index(doc, &path, is_array) {
        Some(i) => i,
        None => {
            // A simple value where an array belongs: it becomes the array's first item.
            let property = element_at(doc, &path);
            let old = property.text().trim().to_string();
            property.children.clear();
            let mut array = Element::new(&format!("rdf:{container}"), RDF);
            if !old.is_empty() {
                let mut li = Element::new("rdf:li", RDF);
                li.children.push(Node::Text(old));
                array.children.push(Node::Element(li));
            }
            property.children.push(Node::Element(array));
            0
        }
    };
    path.push(index);
    path
}

/// The texts of an array's items.
fn item_texts(array: &Element) -> Vec<String> {
    array
        .elements()
        .filter(|e| e.is(RDF, "li"))
        .map(|li| li.text().trim().to_string())
        .collect()
}

fn text_item(text: &str) -> Element {
    let mut li = Element::new("rdf:li", RDF);
    li.children.push(Node::Text(text.to_string()));
    li
}

/// Sets the items of a text array: removes those `own` says are Argus's, then appends `wanted`
/// (those not present already, in any case).
fn set_text_items(
    doc: &mut Document,
    description: &[usize],
    property: (&str, &str, &str, &str),
    wanted: &[String],
    own: impl Fn(&str) -> bool,
) {
    if wanted.is_empty() && property_path(doc, property.0, property.2).is_none() {
        return;
    }
    let path = array_path(doc, description, property);
    remove_items(element_at(doc, &path), |li| own(li.text().trim()));
    let present: Vec<String> = item_texts(element_ref(doc, &path))
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    for w in wanted {
        if !present.contains(&w.to_lowercase()) {
            append_at(doc, &path, text_item(w));
        }
    }
}

/// Adds `wanted` to a text array, remembering in `argus:{ledger}` which of them Argus added (those
/// already there belong to whoever put them there); what Argus added before and no longer wants is
/// removed.
fn merge_owned_items(
    doc: &mut Document,
    description: &[usize],
    property: (&str, &str, &str, &str),
    ledger: &str,
    wanted: &[String],
) {
    let previously = owned(doc, ledger);
    if wanted.is_empty() && previously.is_empty() {
        return;
    }
    let path = array_path(doc, description, property);
    remove_items(element_at(doc, &path), |li| {
        previously
            .iter()
            .any(|p| p.eq_ignore_ascii_case(li.text().trim()))
    });
    let present: Vec<String> = item_texts(element_ref(doc, &path))
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    let mut added = Vec::new();
    for w in wanted {
        if !present.contains(&w.to_lowercase()) {
            append_at(doc, &path, text_item(w));
            added.push(w.clone());
        }
    }
    set_owned(doc, description, ledger, &added);
}

/// Argus's ledger `argus:{name}`: what it added to the sidecar last time.
fn owned(doc: &Document, name: &str) -> Vec<String> {
    rdf::find(&rdf::properties(doc), ARGUS, name)
        .map(|v| v.texts().into_iter().map(str::to_string).collect())
        .unwrap_or_default()
}

fn set_owned(doc: &mut Document, description: &[usize], name: &str, items: &[String]) {
    let existing = property_path(doc, ARGUS, name);
    if items.is_empty() {
        if let Some(path) = existing {
            let (last, parent) = path.split_last().expect("a property has a parent");
            remove_child(element_at(doc, parent), *last);
        }
        return;
    }
    if owned(doc, name) == items {
        return;
    }
    let path = array_path(doc, description, (ARGUS, "argus", name, "Bag"));
    remove_items(element_at(doc, &path), |_| true);
    for item in items {
        append_at(doc, &path, text_item(item));
    }
}

/// Face regions: Argus's own (by name, from its ledger) are replaced; another tool's region for the
/// same person at the same place keeps Argus from adding one.
fn merge_regions(doc: &mut Document, description: &[usize], facts: &ArgusFacts) {
    let previously = owned(doc, "OwnedRegions");
    let existing = property_path(doc, MWG_REGIONS, "Regions");
    if facts.faces.is_empty() && (previously.is_empty() || existing.is_none()) {
        set_owned(doc, description, "OwnedRegions", &[]);
        return;
    }
    let regions_path = match existing {
        Some(p) => p,
        None => {
            let mut regions = Element::new("mwg-rs:Regions", MWG_REGIONS);
            regions.set_attribute("rdf:parseType", Some(RDF), "Resource");
            declare(&mut regions, "mwg-rs", MWG_REGIONS);
            let index = append_at(doc, description, regions);
            let mut p = description.to_vec();
            p.push(index);
            p
        }
    };
    // The structure's fields live on the property (parseType="Resource") or a nested description.
    let mut fields_path = regions_path.clone();
    fields_path.extend(child_index(doc, &regions_path, |e| {
        e.is(RDF, "Description")
    }));
    let fields = element_ref(doc, &fields_path);
    if fields.child(MWG_REGIONS, "AppliedToDimensions").is_none()
        && fields
            .attribute(MWG_REGIONS, "AppliedToDimensions")
            .is_none()
    {
        let mut dims = Element::new("mwg-rs:AppliedToDimensions", MWG_REGIONS);
        dims.set_attribute("rdf:parseType", Some(RDF), "Resource");
        declare(&mut dims, "mwg-rs", MWG_REGIONS);
        declare(&mut dims, "stDim", ST_DIMENSIONS);
        for (field, value) in [
            ("w", facts.stored_width.to_string()),
            ("h", facts.stored_height.to_string()),
            ("unit", "pixel".to_string()),
        ] {
            let mut e = Element::new(&format!("stDim:{field}"), ST_DIMENSIONS);
            e.children.push(Node::Text(value));
            dims.children.push(Node::Element(e));
        }
        append_at(doc, &fields_path, dims);
    }
    let list = match child_index(doc, &fields_path, |e| e.is(MWG_REGIONS, "RegionList")) {
        Some(i) => i,
        None => {
            let mut list = Element::new("mwg-rs:RegionList", MWG_REGIONS);
            declare(&mut list, "mwg-rs", MWG_REGIONS);
            list.children
                .push(Node::Element(Element::new("rdf:Bag", RDF)));
            append_at(doc, &fields_path, list)
        }
    };
    let mut bag_path = fields_path.clone();
    bag_path.push(list);
    let Some(bag) = child_index(doc, &bag_path, |e| e.is(RDF, "Bag") || e.is(RDF, "Seq")) else {
        return;
    };
    bag_path.push(bag);
    // Drop Argus's regions of last time; note the others.
    remove_items(element_at(doc, &bag_path), |li| {
        region_of(li)
            .is_some_and(|(name, _)| previously.iter().any(|p| p.eq_ignore_ascii_case(&name)))
    });
    let others: Vec<(String, Option<NormBox>)> = element_ref(doc, &bag_path)
        .elements()
        .filter(|e| e.is(RDF, "li"))
        .filter_map(region_of)
        .collect();
    let mut added = Vec::new();
    for face in &facts.faces {
        let stored = face.area.upright_to_stored(facts.orientation);
        let known = others.iter().any(|(name, area)| {
            name.eq_ignore_ascii_case(&face.name)
                && area.is_none_or(|a| a.iou(&stored) >= SAME_REGION_IOU)
        });
        if known {
            continue;
        }
        append_at(doc, &bag_path, region_element(&face.name, &stored));
        added.push(face.name.clone());
    }
    dedupe(&mut added);
    set_owned(doc, description, "OwnedRegions", &added);
}

/// A region item's name and stored box (top-left), when it is a named face.
fn region_of(li: &Element) -> Option<(String, Option<NormBox>)> {
    let value = rdf::value_of(li);
    let kind = value
        .field(MWG_REGIONS, "Type")
        .and_then(Value::text)
        .unwrap_or("Face");
    if !kind.eq_ignore_ascii_case("face") {
        return None;
    }
    let name = value
        .field(MWG_REGIONS, "Name")
        .and_then(Value::text)?
        .trim()
        .to_string();
    let area = value.field(MWG_REGIONS, "Area").and_then(|a| {
        let n = |f: &str| {
            a.field(ST_AREA, f)
                .and_then(Value::text)?
                .trim()
                .parse::<f64>()
                .ok()
        };
        let (x, y, w, h) = (n("x")?, n("y")?, n("w")?, n("h")?);
        Some(NormBox {
            x: x - w / 2.0,
            y: y - h / 2.0,
            w,
            h,
        })
    });
    Some((name, area))
}

/// One MWG face region item: centre box, normalised, on the stored image.
fn region_element(name: &str, stored: &NormBox) -> Element {
    let mut li = Element::new("rdf:li", RDF);
    li.set_attribute("rdf:parseType", Some(RDF), "Resource");
    declare(&mut li, "mwg-rs", MWG_REGIONS);
    declare(&mut li, "stArea", ST_AREA);
    for (field, value) in [("Name", name), ("Type", "Face")] {
        let mut e = Element::new(&format!("mwg-rs:{field}"), MWG_REGIONS);
        e.children.push(Node::Text(value.to_string()));
        li.children.push(Node::Element(e));
    }
    let mut area = Element::new("mwg-rs:Area", MWG_REGIONS);
    for (field, value) in [
        ("x", stored.x + stored.w / 2.0),
        ("y", stored.y + stored.h / 2.0),
        ("w", stored.w),
        ("h", stored.h),
    ] {
        area.set_attribute(
            &format!("stArea:{field}"),
            Some(ST_AREA),
            &format!("{value:.6}"),
        );
    }
    area.set_attribute("stArea:unit", Some(ST_AREA), "normalized");
    li.children.push(Node::Element(area));
    li
}

/// Declares `prefix` for `namespace` on an element Argus made (redundant where an ancestor already
/// does, but always right whatever the ancestors bind the prefix to).
fn declare(element: &mut Element, prefix: &str, namespace: &str) {
    let name = format!("xmlns:{prefix}");
    if element.attributes.iter().any(|a| a.name == name) {
        return;
    }
    element.attributes.push(dom::Attribute {
        name,
        namespace: None,
        value: namespace.to_string(),
    });
}

/// The line break and indentation before the element at `path`, when the document is laid out in
/// lines there (`None`: written compactly).
fn indent_of(doc: &Document, path: &[usize]) -> Option<String> {
    let Some((&last, parent)) = path.split_last() else {
        return Some("\n".into());
    };
    match last
        .checked_sub(1)
        .map(|i| &element_ref(doc, parent).children[i])
    {
        Some(Node::Text(t)) if t.trim().is_empty() && t.contains('\n') => {
            Some(format!("\n{}", t.rsplit('\n').next().unwrap_or_default()))
        }
        _ => None,
    }
}

/// Appends `child` as the last element of the element at `path`: on a line of its own, indented like
/// its siblings (its own children laid out below it), where the document is laid out in lines;
/// compactly where it is not. Returns the child's index.
fn append_at(doc: &mut Document, path: &[usize], mut child: Element) -> usize {
    let own = indent_of(doc, path);
    let mut scope = scope_at(doc, path);
    let parent = element_at(doc, path);
    let Some(own) = own else {
        drop_redundant_declarations(&mut child, &mut scope);
        parent.children.push(Node::Element(child));
        return parent.children.len() - 1;
    };
    if matches!(parent.children.last(), Some(Node::Text(t)) if t.trim().is_empty()) {
        parent.children.pop();
    }
    // Like the last element child's indentation, else one deeper than the parent.
    let sibling = parent
        .children
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, n)| match n {
            Node::Element(_) if i > 0 => match &parent.children[i - 1] {
                Node::Text(t) if t.trim().is_empty() && t.contains('\n') => {
                    Some(format!("\n{}", t.rsplit('\n').next().unwrap_or_default()))
                }
                _ => None,
            },
            _ => None,
        });
    let indent = sibling.unwrap_or_else(|| format!("{own} "));
    lay_out(&mut child, &indent);
    drop_redundant_declarations(&mut child, &mut scope);
    parent.children.push(Node::Text(indent));
    parent.children.push(Node::Element(child));
    parent.children.push(Node::Text(own));
    parent.children.len() - 2
}

/// The namespace bindings in force inside the element at `path`.
fn scope_at(doc: &Document, path: &[usize]) -> Vec<(String, String)> {
    let mut scope = Vec::new();
    let mut element = &doc.root;
    let mut rest = path.iter();
    loop {
        scope.extend(declarations(element));
        let Some(&i) = rest.next() else { break };
        let Node::Element(child) = &element.children[i] else {
            break;
        };
        element = child;
    }
    scope
}

fn declarations(element: &Element) -> impl Iterator<Item = (String, String)> + '_ {
    element.attributes.iter().filter_map(|a| {
        a.name
            .strip_prefix("xmlns:")
            .map(|p| (p.to_string(), a.value.clone()))
    })
}

/// Removes the declarations of an element Argus made (and of its children) that repeat a binding
/// already in force.
fn drop_redundant_declarations(element: &mut Element, scope: &mut Vec<(String, String)>) {
    let before = scope.len();
    element
        .attributes
        .retain(|a| match a.name.strip_prefix("xmlns:") {
            Some(prefix) => {
                let bound = scope
                    .iter()
                    .rev()
                    .find(|(p, _)| p == prefix)
                    .map(|(_, u)| u);
                if bound == Some(&a.value) {
                    return false;
                }
                scope.push((prefix.to_string(), a.value.clone()));
                true
            }
            None => true,
        });
    for child in element.elements_mut() {
        drop_redundant_declarations(child, scope);
    }
    scope.truncate(before);
}

/// Lays out the element children of an element Argus made, one per line below it.
fn lay_out(element: &mut Element, indent: &str) {
    if element.is_leaf() {
        return;
    }
    let inner = format!("{indent} ");
    let children = std::mem::take(&mut element.children);
    for node in children {
        match node {
            Node::Element(mut e) => {
                lay_out(&mut e, &inner);
                element.children.push(Node::Text(inner.clone()));
                element.children.push(Node::Element(e));
            }
            Node::Text(t) if t.trim().is_empty() => {}
            other => element.children.push(other),
        }
    }
    element.children.push(Node::Text(indent.to_string()));
}

/// Removes the `rdf:li` items `test` picks, with the whitespace before each.
fn remove_items(array: &mut Element, test: impl Fn(&Element) -> bool) {
    let mut i = 0;
    while i < array.children.len() {
        let hit = matches!(&array.children[i], Node::Element(e) if e.is(RDF, "li") && test(e));
        if hit {
            i = remove_child(array, i);
        } else {
            i += 1;
        }
    }
}

/// Removes child `index` and the whitespace before it; returns where the next child now is.
fn remove_child(parent: &mut Element, index: usize) -> usize {
    parent.children.remove(index);
    if index > 0 {
        if let Node::Text(t) = &parent.children[index - 1] {
            if t.trim().is_empty() {
                parent.children.remove(index - 1);
                return index - 1;
            }
        }
    }
    index
}

fn dedupe(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.to_lowercase()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::read_packet;

    fn facts() -> ArgusFacts {
        ArgusFacts {
            faces: vec![
                NamedFace {
                    name: "Ana".into(),
                    area: NormBox {
                        x: 0.1,
                        y: 0.2,
                        w: 0.2,
                        h: 0.3,
                    },
                },
                NamedFace {
                    name: "Bo".into(),
                    area: NormBox {
                        x: 0.6,
                        y: 0.1,
                        w: 0.1,
                        h: 0.15,
                    },
                },
            ],
            keywords: vec![
                "People/Ana".into(),
                "People/Bo".into(),
                "Labels/beach".into(),
            ],
            plain_keywords: vec![],
            rating: Some(4),
            stored_width: 400,
            stored_height: 300,
            orientation: Some(6),
        }
    }

    const FOREIGN: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:my-ns="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:my-area="http://ns.adobe.com/xmp/sType/Area#"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmp:Rating="2" crs:Exposure2012="+0.35">
   <!-- edited in another tool -->
   <dc:subject>
    <rdf:Bag>
     <rdf:li>beach</rdf:li>
     <rdf:li>holiday</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <lr:hierarchicalSubject>
    <rdf:Bag>
     <rdf:li>Places|Lisbon</rdf:li>
    </rdf:Bag>
   </lr:hierarchicalSubject>
   <my-ns:Regions rdf:parseType="Resource">
    <my-ns:RegionList>
     <rdf:Bag>
      <rdf:li my-ns:Name="Cy" my-ns:Type="Face">
       <my-ns:Area my-area:x="0.5" my-area:y="0.5" my-area:w="0.1" my-area:h="0.1" my-area:unit="normalized"/>
      </rdf:li>
     </rdf:Bag>
    </my-ns:RegionList>
   </my-ns:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#;

    #[test]
    fn a_new_sidecar_reads_back_the_facts() {
        let text = merge_sidecar(None, &facts(), &WriteOptions::default()).unwrap();
        let m = read_packet(&text, Some(6)).unwrap().metadata;
        assert_eq!(
            m.keywords,
            ["Argus/People/Ana", "Argus/People/Bo", "Argus/Labels/beach"]
        );
        assert_eq!(m.people, ["Ana", "Bo"]);
        assert_eq!(m.rating, Some(4));
        assert_eq!(m.regions.len(), 2);
        for (r, f) in m.regions.iter().zip(&facts().faces) {
            assert_eq!(r.name.as_deref(), Some(f.name.as_str()));
            assert!(r.area.iou(&f.area) > 0.999, "{:?} vs {:?}", r.area, f.area);
        }
    }

    #[test]
    fn writing_twice_changes_nothing() {
        for start in [None, Some(FOREIGN)] {
            let once = merge_sidecar(start, &facts(), &WriteOptions::default()).unwrap();
            let twice = merge_sidecar(Some(&once), &facts(), &WriteOptions::default()).unwrap();
            assert_eq!(once, twice);
        }
    }

    #[test]
    fn another_tools_data_is_kept_and_only_argus_data_changes() {
        let once = merge_sidecar(Some(FOREIGN), &facts(), &WriteOptions::default()).unwrap();
        let m = read_packet(&once, Some(6)).unwrap().metadata;
        // The foreign keywords, rating, region and the unknown namespace stay.
        assert!(
            m.keywords.contains(&"Places/Lisbon".to_string()),
            "{:?}",
            m.keywords
        );
        assert!(
            m.keywords.contains(&"beach".to_string())
                || m.keywords.iter().any(|k| k.ends_with("/beach"))
        );
        assert_eq!(m.rating, Some(2));
        assert!(m.regions.iter().any(|r| r.name.as_deref() == Some("Cy")));
        assert!(once.contains("crs:Exposure2012=\"+0.35\""));
        assert!(once.contains("<!-- edited in another tool -->"));
        // "beach" was the other tool's: Argus did not add it and does not own it.
        let props = rdf::properties(&dom::parse(&once).unwrap());
        let subjects = rdf::find(&props, DC, "subject").unwrap().texts();
        assert_eq!(subjects.iter().filter(|s| **s == "beach").count(), 1);
        // Argus forgets Bo and the label: its own entries go, the other tool's stay.
        let mut fewer = facts();
        fewer.faces.truncate(1);
        fewer.keywords = vec!["People/Ana".into()];
        let after = merge_sidecar(Some(&once), &fewer, &WriteOptions::default()).unwrap();
        let m = read_packet(&after, Some(6)).unwrap().metadata;
        let names: Vec<_> = m.regions.iter().filter_map(|r| r.name.clone()).collect();
        assert_eq!(names, ["Cy", "Ana"]);
        assert!(m.keywords.contains(&"Places/Lisbon".to_string()));
        assert!(!m
            .keywords
            .iter()
            .any(|k| k.contains("Bo") || k.contains("Labels")));
        let props = rdf::properties(&dom::parse(&after).unwrap());
        let subjects = rdf::find(&props, DC, "subject").unwrap().texts();
        assert!(
            subjects.contains(&"beach")
                && subjects.contains(&"holiday")
                && !subjects.contains(&"Bo")
        );
        // And writing nothing at all removes every trace of Argus but keeps the rest.
        let none = merge_sidecar(
            Some(&after),
            &ArgusFacts::default(),
            &WriteOptions::default(),
        )
        .unwrap();
        let m = read_packet(&none, None).unwrap().metadata;
        assert_eq!(m.regions.len(), 1);
        assert!(!m.keywords.iter().any(|k| k.starts_with("Argus")));
    }

    #[test]
    fn a_region_another_tool_has_for_the_person_is_not_repeated() {
        let mut f = facts();
        f.orientation = None;
        f.faces = vec![NamedFace {
            name: "cy".into(),
            area: NormBox {
                x: 0.45,
                y: 0.45,
                w: 0.1,
                h: 0.1,
            },
        }];
        let text = merge_sidecar(Some(FOREIGN), &f, &WriteOptions::default()).unwrap();
        let m = read_packet(&text, None).unwrap().metadata;
        assert_eq!(m.regions.len(), 1);
    }

    #[test]
    fn a_custom_root() {
        let options = WriteOptions {
            keyword_root: "Catalogue/Auto".into(),
        };
        let text = merge_sidecar(None, &facts(), &options).unwrap();
        let m = read_packet(&text, None).unwrap().metadata;
        assert!(
            m.keywords
                .contains(&"Catalogue/Auto/People/Ana".to_string()),
            "{:?}",
            m.keywords
        );
    }
}

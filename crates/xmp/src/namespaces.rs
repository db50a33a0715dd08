//! The namespaces Argus reads and writes, with the prefixes it writes them with.

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
pub const X: &str = "adobe:ns:meta/";
pub const DC: &str = "http://purl.org/dc/elements/1.1/";
pub const XMP: &str = "http://ns.adobe.com/xap/1.0/";
pub const LIGHTROOM: &str = "http://ns.adobe.com/lightroom/1.0/";
pub const DIGIKAM: &str = "http://www.digikam.org/ns/1.0/";
pub const MICROSOFT_PHOTO: &str = "http://ns.microsoft.com/photo/1.0/";
pub const PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
pub const MWG_REGIONS: &str = "http://www.metadataworkinggroup.com/schemas/regions/";
pub const ST_AREA: &str = "http://ns.adobe.com/xmp/sType/Area#";
pub const ST_DIMENSIONS: &str = "http://ns.adobe.com/xap/1.0/sType/Dimensions#";
pub const MP: &str = "http://ns.microsoft.com/photo/1.2/";
pub const MP_REGION_INFO: &str = "http://ns.microsoft.com/photo/1.2/t/RegionInfo#";
pub const MP_REGION: &str = "http://ns.microsoft.com/photo/1.2/t/Region#";
pub const IPTC_EXT: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

/// (prefix, namespace) of everything Argus writes, declared on the description it adds to.
pub const WRITTEN: &[(&str, &str)] = &[
    ("dc", DC),
    ("xmp", XMP),
    ("lr", LIGHTROOM),
    ("digiKam", DIGIKAM),
    ("mwg-rs", MWG_REGIONS),
    ("stArea", ST_AREA),
    ("stDim", ST_DIMENSIONS),
    ("Iptc4xmpExt", IPTC_EXT),
];

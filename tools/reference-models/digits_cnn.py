#!/usr/bin/python3
"""Builds data/models/sklearn/digits-cnn.onnx: a small image CNN trained outside QuantEdge, for the accuracy table.

The optical digits of data/digits_{train,test}.csv (8x8 images, 0-16 grey levels; written by
sklearn_classifiers.py, run that first) classified by
    Conv 3x3 1->8 (pad 1), ReLU, MaxPool 2 -> Conv 3x3 8->16 (pad 1), ReLU, MaxPool 2 -> Flatten 64 -> Gemm 10,
the layer pattern of the benchmark's 28x28 CNN at the digits' size. scikit-learn has no convolutions, so the
network is trained here in numpy (He initialisation, softmax cross-entropy, Adam, 40 epochs of 32-image
batches, seed 1) on pixels scaled to 0-1; the ONNX graph takes the raw 0-16 pixels (the 1/16 is folded into the
first convolution's weights), NCHW [1, 1, 8, 8].

Needs Debian's python3-numpy and python3-onnx; run from the repository root (the same file every run):
    /usr/bin/python3 tools/reference-models/digits_cnn.py
"""
import csv

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = "data/models/sklearn/digits-cnn.onnx"
EPOCHS, BATCH, RATE = 40, 32, 2e-3
rng = np.random.default_rng(1)


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    body = np.array(rows[1:], dtype=np.float64)
    return body[:, :-1].reshape(-1, 1, 8, 8) / 16.0, body[:, -1].astype(int)


def patches(x):
    """im2col for a 3x3 convolution with padding 1: [N, C, H, W] -> [N, H, W, C*9] (channel-major taps)."""
    n, c, h, w = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    taps = [padded[:, :, i:i + h, j:j + w] for i in range(3) for j in range(3)]  # 9 x [N, C, H, W]
    return np.stack(taps, axis=2).reshape(n, c * 9, h, w).transpose(0, 2, 3, 1)


def conv_forward(x, w, b):
    cols = patches(x)  # [N, H, W, C*9]
    out = cols @ w.reshape(w.shape[0], -1).T + b  # [N, H, W, O]
    return out.transpose(0, 3, 1, 2), cols


def conv_backward(grad, cols, w, x_shape):
    n, c, h, wd = x_shape
    g = grad.transpose(0, 2, 3, 1)  # [N, H, W, O]
    grad_w = (g.reshape(-1, g.shape[-1]).T @ cols.reshape(-1, cols.shape[-1])).reshape(w.shape)
    grad_b = g.sum(axis=(0, 1, 2))
    grad_cols = (g @ w.reshape(w.shape[0], -1)).reshape(n, h, wd, c, 9)
    grad_x = np.zeros((n, c, h + 2, wd + 2))
    for t in range(9):
        i, j = divmod(t, 3)
        grad_x[:, :, i:i + h, j:j + wd] += grad_cols[..., t].transpose(0, 3, 1, 2)
    return grad_w, grad_b, grad_x[:, :, 1:-1, 1:-1]


def pool_forward(x):
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = blocks.max(axis=(3, 5))
    mask = blocks == out[:, :, :, None, :, None]
    return out, mask


def pool_backward(grad, mask):
    # Ties (two equal maxima, e.g. two zeros after ReLU) share the gradient; exact for training purposes.
    g = grad[:, :, :, None, :, None] * mask
    n, c, h2, _, w2, _ = g.shape
    return g.reshape(n, c, h2 * 2, w2 * 2)


def he(shape, fan_in):
    return rng.normal(0, np.sqrt(2.0 / fan_in), shape)


params = {
    "c1.W": he((8, 1, 3, 3), 9), "c1.B": np.zeros(8),
    "c2.W": he((16, 8, 3, 3), 72), "c2.B": np.zeros(16),
    "fc.W": he((10, 64), 64), "fc.B": np.zeros(10),
}
moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}


def forward(x):
    c1, cols1 = conv_forward(x, params["c1.W"], params["c1.B"])
    r1 = np.maximum(c1, 0)
    p1, m1 = pool_forward(r1)
    c2, cols2 = conv_forward(p1, params["c2.W"], params["c2.B"])
    r2 = np.maximum(c2, 0)
    p2, m2 = pool_forward(r2)
    flat = p2.reshape(len(x), -1)
    logits = flat @ params["fc.W"].T + params["fc.B"]
    return logits, (x, cols1, c1, m1, p1, cols2, c2, m2, p2, flat)


def step(x, y, t):
    logits, (x, cols1, c1, m1, p1, cols2, c2, m2, p2, flat) = forward(x)
    prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    prob[np.arange(len(y)), y] -= 1
    d = prob / len(y)
    grads = {"fc.W": d.T @ flat, "fc.B": d.sum(axis=0)}
    d = (d @ params["fc.W"]).reshape(p2.shape)
    d = pool_backward(d, m2) * (c2 > 0)
    grads["c2.W"], grads["c2.B"], d = conv_backward(d, cols2, params["c2.W"], p1.shape)
    d = pool_backward(d, m1) * (c1 > 0)
    grads["c1.W"], grads["c1.B"], _ = conv_backward(d, cols1, params["c1.W"], x.shape)
    for k, g in grads.items():
        m, v = moments[k]
        m[:] = 0.9 * m + 0.1 * g
        v[:] = 0.999 * v + 0.001 * g * g
        params[k] -= RATE * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)


def accuracy(x, y):
    return float((forward(x)[0].argmax(axis=1) == y).mean())


def export():
    initializers = [
        numpy_helper.from_array((params["c1.W"] / 16.0).astype(np.float32), "c1.W"),  # raw 0-16 pixels in
        *[numpy_helper.from_array(params[k].astype(np.float32), k) for k in ("c1.B", "c2.W", "c2.B", "fc.W", "fc.B")],
    ]
    conv = {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}
    pool = {"kernel_shape": [2, 2], "strides": [2, 2]}
    nodes = [
        helper.make_node("Conv", ["image", "c1.W", "c1.B"], ["c1"], **conv),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], **pool),
        helper.make_node("Conv", ["p1", "c2.W", "c2.B"], ["c2"], **conv),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("MaxPool", ["r2"], ["p2"], **pool),
        helper.make_node("Flatten", ["p2"], ["flat"]),
        helper.make_node("Gemm", ["flat", "fc.W", "fc.B"], ["logits"], transB=1),
    ]
    graph = helper.make_graph(nodes, "digits-cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 8, 8])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])], initializers)
    model = helper.make_model(graph, producer_name="numpy (tools/reference-models/digits_cnn.py)",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, OUT)


def main():
    x, y = read("data/digits_train.csv")
    x_test, y_test = read("data/digits_test.csv")
    t = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            t += 1
            batch = order[start:start + BATCH]
            step(x[batch], y[batch], t)
    export()
    print(f"{OUT}: train {accuracy(x, y):.4f}, test {accuracy(x_test, y_test):.4f}")


if __name__ == "__main__":
    main()

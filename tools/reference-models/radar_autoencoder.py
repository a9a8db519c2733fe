#!/usr/bin/python3
"""Builds data/models/radar-autoencoder.onnx: an anomaly score for the ionosphere radar returns.

An autoencoder 34 -> 16 -> 4 -> 16 -> 34 (ReLU, linear output) learns to reproduce the "good" returns
(label 0 in data/ionosphere_anomaly_train.csv); the score is the mean absolute reconstruction error,
mean(|x - decoder(encoder(x))|): small for returns like those it learned, large for the others.
The graph uses only what a QuantEdge device runs: MatMul, Add, Relu; x - decoder(x) is x plus the
negated decoder, |d| is written as
relu(d) + relu(-d), one MatMul by [I, -I] and a Relu, and the mean a MatMul by a column of 1/34.

Needs Debian's python3-sklearn and python3-onnx; run from the repository root:
    /usr/bin/python3 tools/reference-models/radar_autoencoder.py
"""
import csv

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.neural_network import MLPRegressor

TRAIN = "data/ionosphere_anomaly_train.csv"
OUT = "data/models/radar-autoencoder.onnx"


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=np.float64)
    label = header.index("label")
    features = np.delete(body, label, axis=1)
    return features, body[:, label].astype(int)


x, labels = read(TRAIN)
normal = x[labels == 0]
autoencoder = MLPRegressor(hidden_layer_sizes=(16, 4, 16), activation="relu", solver="adam", alpha=1e-4,
                           learning_rate_init=3e-3, max_iter=3000, tol=1e-6, random_state=1)
autoencoder.fit(normal, normal)

n = x.shape[1]
initializers, nodes = [], []


def constant(name, value):
    initializers.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
    return name


# The decoder's last layer is written negated, so the residual is an Add: a device adds two computed
# values but subtracts only constants.
value = "features"
layers = len(autoencoder.coefs_)
for i, (w, b) in enumerate(zip(autoencoder.coefs_, autoencoder.intercepts_)):
    sign = -1 if i == layers - 1 else 1
    nodes.append(helper.make_node("MatMul", [value, constant(f"w{i}", sign * w)], [f"matmul{i}"]))
    nodes.append(helper.make_node("Add", [f"matmul{i}", constant(f"b{i}", sign * b)], [f"dense{i}"]))
    value = f"dense{i}"
    if i < layers - 1:
        nodes.append(helper.make_node("Relu", [value], [f"relu{i}"]))
        value = f"relu{i}"

nodes += [
    helper.make_node("Add", ["features", value], ["residual"]),
    helper.make_node("MatMul", ["residual", constant("plus_minus", np.hstack([np.eye(n), -np.eye(n)]))], ["signed"]),
    helper.make_node("Relu", ["signed"], ["absolute"]),
    helper.make_node("MatMul", ["absolute", constant("mean", np.full((2 * n, 1), 1.0 / n))], ["score"]),
]
graph = helper.make_graph(nodes, "radar_autoencoder",
                          [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, n])],
                          [helper.make_tensor_value_info("score", TensorProto.FLOAT, [1, 1])], initializers)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="scikit-learn MLPRegressor + onnx.helper")
onnx.checker.check_model(model)
onnx.save(model, OUT)


def scores(features):
    return np.abs(features - autoencoder.predict(features)).mean(axis=1)


train_scores = scores(x)
print(f"wrote {OUT}: autoencoder 34-16-4-16-34 trained on {len(normal)} normal rows of {TRAIN}")
print(f"mean score: normal {train_scores[labels == 0].mean():.4f}, anomalies {train_scores[labels == 1].mean():.4f}")

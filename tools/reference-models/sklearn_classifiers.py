#!/usr/bin/python3
"""Builds classifiers trained elsewhere (scikit-learn) for the accuracy table: data/models/sklearn/*.onnx.

QuantEdge's own trainer standardizes and folds its scaler, and its models quantize well; models a user brings
are made differently. Here each is a scikit-learn pipeline, StandardScaler then MLPClassifier (ReLU, Adam) or
LogisticRegression, fitted on a train split, and written to ONNX the way an exporter writes such a pipeline: the
scaler as Sub and Div nodes on the raw features, then MatMul + Add per layer, logits out. Features keep their
raw units, so a model's inputs span up to five orders of magnitude (breast cancer: areas of ~1,000 beside
smoothness values of ~0.001).

Datasets: the repository's splits of iris, glass, ionosphere and segment (data/), and three of the UCI datasets
scikit-learn ships (wine, breast cancer Wisconsin, optical digits 8x8), split here 70/30, stratified, with a
fixed seed, into data/<name>_train.csv and data/<name>_test.csv (features in scikit-learn's order and names,
then the label).

Needs Debian's python3-sklearn and python3-onnx; run from the repository root (the same files every run):
    /usr/bin/python3 tools/reference-models/sklearn_classifiers.py
"""
import csv
import os
import re

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

OUT = "data/models/sklearn"
SEED = 1

# (dataset, model name, estimator); hidden widths from one small layer to two wider ones.
MODELS = [
    ("iris", "mlp-16", lambda: MLPClassifier((16,), max_iter=2000, random_state=SEED)),
    ("glass", "mlp-32-16", lambda: MLPClassifier((32, 16), max_iter=2000, random_state=SEED)),
    ("ionosphere", "mlp-32-16", lambda: MLPClassifier((32, 16), max_iter=2000, random_state=SEED)),
    ("segment", "mlp-64-32", lambda: MLPClassifier((64, 32), max_iter=2000, random_state=SEED)),
    ("segment", "logistic", lambda: LogisticRegression(max_iter=5000)),
    ("wine", "logistic", lambda: LogisticRegression(max_iter=5000)),
    ("wine", "mlp-16", lambda: MLPClassifier((16,), max_iter=2000, random_state=SEED)),
    ("breast_cancer", "mlp-32-16", lambda: MLPClassifier((32, 16), max_iter=2000, random_state=SEED)),
    ("breast_cancer", "logistic", lambda: LogisticRegression(max_iter=5000)),
    ("digits", "mlp-64", lambda: MLPClassifier((64,), max_iter=2000, random_state=SEED)),
    ("digits", "mlp-128-64", lambda: MLPClassifier((128, 64), max_iter=2000, random_state=SEED)),
]

SKLEARN_DATASETS = {
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
    "digits": datasets.load_digits,
}


def feature_name(name):
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")


def write_split(name):
    """Writes data/<name>_train.csv and _test.csv from scikit-learn's copy of the dataset."""
    bunch = SKLEARN_DATASETS[name]()
    names = [feature_name(n) for n in bunch.feature_names]
    x_train, x_test, y_train, y_test = train_test_split(bunch.data, bunch.target, test_size=0.3, stratify=bunch.target,
                                                        random_state=SEED)
    for part, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        with open(f"data/{name}_{part}.csv", "w", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(names + ["label"])
            for row, label in zip(x, y):
                out.writerow([repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in row] + [int(label)])


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=np.float64)
    label = header.index("label")
    return [h for h in header if h != "label"], np.delete(body, label, axis=1), body[:, label].astype(int)


def layers_of(estimator):
    """(weights [in, out], bias) per layer; a binary logistic regression gives two logits (0 and its score)."""
    if isinstance(estimator, MLPClassifier):
        layers = list(zip(estimator.coefs_, estimator.intercepts_))
        if estimator.n_outputs_ == 1:  # binary: one logistic output; the logits of the two classes are (0, z)
            w, b = layers[-1]
            layers[-1] = (np.hstack([np.zeros_like(w), w]), np.concatenate([[0.0], b]))
        return layers
    w, b = estimator.coef_.T, estimator.intercept_
    if w.shape[1] == 1:
        w, b = np.hstack([np.zeros_like(w), w]), np.concatenate([[0.0], b])
    return [(w, b)]


def export(path, features, scaler, layers):
    initializers, nodes = [], []

    def constant(name, value):
        initializers.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
        return name

    nodes.append(helper.make_node("Sub", ["features", constant("mean", scaler.mean_[None, :])], ["centred"]))
    nodes.append(helper.make_node("Div", ["centred", constant("scale", scaler.scale_[None, :])], ["scaled"]))
    value = "scaled"
    for i, (w, b) in enumerate(layers):
        nodes.append(helper.make_node("MatMul", [value, constant(f"w{i}", w)], [f"matmul{i}"]))
        nodes.append(helper.make_node("Add", [f"matmul{i}", constant(f"b{i}", b)], [f"dense{i}"]))
        value = f"dense{i}"
        if i < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [value], [f"relu{i}"]))
            value = f"relu{i}"
    nodes[-1].output[0] = "logits"
    graph = helper.make_graph(
        nodes, os.path.basename(path)[:-5],
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, len(features)])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, layers[-1][0].shape[1]])],
        initializers)
    model = helper.make_model(graph, producer_name="scikit-learn pipeline (tools/reference-models/sklearn_classifiers.py)",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in SKLEARN_DATASETS:
        write_split(name)
    for name, model_name, make in MODELS:
        features, x, y = read(f"data/{name}_train.csv")
        _, x_test, y_test = read(f"data/{name}_test.csv")
        scaler = StandardScaler().fit(x)
        estimator = make().fit(scaler.transform(x), y)
        path = f"{OUT}/{name}-{model_name}.onnx"
        export(path, features, scaler, layers_of(estimator))
        print(f"{path}: train {estimator.score(scaler.transform(x), y):.4f}, test {estimator.score(scaler.transform(x_test), y_test):.4f}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The study's 1-D CNN in PyTorch for Python: the baseline of `genrelab-cli bench train`.

    /usr/bin/python3 tests/bench/train_cnn1d.py spec.json [result.json]

`genrelab-cli bench train` writes spec.json: the feature table, the ordered feature columns, the
test fold of every row (GenreLab's stratified, grouped folds) and every model and training
parameter. This script trains the same model on the same folds with the same batch size and
schedule, and does the same work per epoch as GenreLab's trainer (standardisation fitted on the
training rows; per epoch a seeded shuffle, mini-batches with Adam on the mean cross-entropy,
training loss/accuracy, and one evaluation of the test fold for the curves). It prints (and
writes) JSON: seconds (training only, after the imports and the CSV read), per-fold accuracies,
their mean, and the thread count.

Debian 12: apt-get install python3-torch python3-numpy; run with /usr/bin/python3.
"""
import csv
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


class Cnn1d(torch.nn.Module):
    def __init__(self, p, n_features, n_classes):
        super().__init__()
        k, pool = p["kernel_size"], p["pool_size"]
        self.pool = pool
        self.dropout = p["dropout"]
        self.conv1 = torch.nn.Conv1d(1, p["conv1_filters"], k)
        self.conv2 = torch.nn.Conv1d(p["conv1_filters"], p["conv2_filters"], k)
        length = ((n_features - k + 1) // pool - k + 1) // pool
        self.dense = torch.nn.Linear(p["conv2_filters"] * length, p["dense_units"])
        self.out = torch.nn.Linear(p["dense_units"], n_classes)
        # Keras' defaults, as GenreLab: Glorot-uniform weights, zero biases.
        for m in (self.conv1, self.conv2, self.dense, self.out):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)

    def forward(self, x):
        h = F.max_pool1d(torch.relu(self.conv1(x.unsqueeze(1))), self.pool)
        h = F.max_pool1d(torch.relu(self.conv2(h)), self.pool)
        h = torch.relu(self.dense(h.flatten(1)))
        return self.out(F.dropout(h, self.dropout, self.training))


def read_table(path, feature_names):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    header = rows[0]
    columns = [header.index(name) for name in feature_names]
    x = np.array([[float(r[c]) for c in columns] for r in rows[1:]], dtype=np.float64)
    labels = [r[-1] for r in rows[1:]]
    names = list(dict.fromkeys(labels))  # order of first appearance, as GenreLab
    return x, np.array([names.index(v) for v in labels]), len(names)


def main():
    spec = json.load(open(sys.argv[1]))
    threads = spec["threads"]
    torch.set_num_threads(threads)
    torch.manual_seed(spec["seed"])
    x_all, y_all, n_classes = read_table(spec["table"], spec["feature_names"])
    fold_of_row = np.array(spec["fold_of_row"])
    model_p, train_p = spec["model"], spec["training"]
    epochs, batch = train_p["epochs"], train_p["batch_size"]

    start = time.perf_counter()
    accuracies = []
    for fold in range(spec["folds"]):
        train, test = fold_of_row != fold, fold_of_row == fold
        mean = x_all[train].mean(axis=0)
        scale = x_all[train].std(axis=0)
        scale[scale == 0] = 1.0
        x = torch.tensor((x_all[train] - mean) / scale, dtype=torch.float32)
        y = torch.tensor(y_all[train])
        x_test = torch.tensor((x_all[test] - mean) / scale, dtype=torch.float32)
        y_test = torch.tensor(y_all[test])
        net = Cnn1d(model_p, x.shape[1], n_classes)
        opt = torch.optim.Adam(net.parameters(), lr=train_p["learning_rate"], eps=train_p["adam_epsilon"],
                               weight_decay=train_p["weight_decay"])
        n = len(y)
        for epoch in range(epochs):
            lr = train_p["learning_rate"] * train_p["lr_gamma"] ** (epoch // train_p["lr_step_epochs"])
            for group in opt.param_groups:
                group["lr"] = lr
            net.train()
            order = torch.randperm(n)
            loss_sum, correct = 0.0, 0
            for first in range(0, n, batch):
                idx = order[first:first + batch]
                xb, yb = x[idx], y[idx]
                opt.zero_grad()
                logits = net(xb)
                loss = F.cross_entropy(logits, yb)
                loss.backward()
                opt.step()
                loss_sum += loss.item() * len(idx)
                with torch.no_grad():
                    correct += int((logits.argmax(1) == yb).sum())
            net.eval()
            with torch.no_grad():
                logits = net(x_test)
                test_loss = F.cross_entropy(logits, y_test).item()
                test_acc = (logits.argmax(1) == y_test).float().mean().item()
        accuracies.append(test_acc)
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "folds": [{"accuracy": a} for a in accuracies],
        "mean_accuracy": float(np.mean(accuracies)),
        "std_accuracy": float(np.std(accuracies)),
        "threads": torch.get_num_threads(),
        "torch_version": torch.__version__,
    }
    text = json.dumps(result)
    print(text)
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()

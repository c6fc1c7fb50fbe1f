"""PyTorch CPU reference for `npm run bench`: the bench's two models, timed
the same way (warm-up runs, then the median of timed runs), one process per
measurement so that the peak RSS belongs to it alone. Runs on the bench's
PyTorch 2.13 (`.venv`) and on Debian's (`/usr/bin/python3`) alike.

    python torch_bench.py --model toy-resnet --task train --threads 1 --batch 64 --warmup 2 --runs 5

Prints one JSON object on stdout. The models mirror tfjs-skip's zoo:
- toy-resnet: conv32 -> conv64 -> maxpool3 -> 2 x [conv64 'same' x2 + identity]
  -> conv64 -> global average pool -> dense256 -> dropout 0.5 -> dense10
  (223,242 parameters);
- resnet-20: He et al. 2016 CIFAR ResNet-20, 3 stages x 3 basic blocks of
  16/32/64 channels, BatchNorm, option A (subsample + zero-pad) shortcuts
  (272,474 parameters).
Train step: forward in training mode, mean softmax cross-entropy, backward,
SGD with momentum 0.9. Inference: eval mode, no_grad.
"""
import argparse
import json
import resource
import statistics

import torch
import torch.nn as nn
import torch.nn.functional as F
from timing import time_runs


class ToyResidual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(64, 64, 3, padding=1)
        self.conv2 = nn.Conv2d(64, 64, 3, padding=1)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x)))) + x


class ToyResNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.block1 = ToyResidual()
        self.block2 = ToyResidual()
        self.conv3 = nn.Conv2d(64, 64, 3)
        self.dense1 = nn.Linear(64, 256)
        self.dropout = nn.Dropout(0.5)
        self.dense2 = nn.Linear(256, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 3)
        x = self.block2(self.block1(x))
        x = F.relu(self.conv3(x)).mean(dim=(2, 3))
        return self.dense2(self.dropout(F.relu(self.dense1(x))))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.extra = stride, cout - cin

    def shortcut(self, x):
        if self.stride != 1:
            x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.extra)) if self.extra > 0 else x

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, depth=20, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        blocks, cin = [], 16
        for stage, cout in enumerate([16, 32, 64]):
            for i in range(n):
                blocks.append(BasicBlock(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(dim=(2, 3)))


MODELS = {"toy-resnet": ToyResNet, "resnet-20": lambda: ResNet(20)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=sorted(MODELS), required=True)
    p.add_argument("--task", choices=["train", "infer"], required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = MODELS[a.model]()
    x = torch.rand(a.batch, 3, 32, 32)
    y = torch.arange(a.batch) % 10
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def train():
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    def infer():
        model.eval()
        with torch.no_grad():
            return model(x).sum().item()

    run = train if a.task == "train" else infer
    times, cpu_times = time_runs(run, a.warmup, a.runs)
    print(json.dumps({
        "model": a.model,
        "task": a.task,
        "threads": torch.get_num_threads(),
        "batch": a.batch,
        "params": sum(p.numel() for p in model.parameters()),
        "msPerBatch": statistics.median(times),
        "runsMs": times,
        "cpuMsPerBatch": statistics.median(cpu_times),
        "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": torch.__version__,
    }))


if __name__ == "__main__":
    main()

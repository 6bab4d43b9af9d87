#!/usr/bin/python3
"""What the Kaggle recipe (librosa 0.7.2, all defaults) gives on degenerate signals, for
tests/core/hostile_input_test.cpp (tests/data/degenerate_audio_reference.json).

librosa 0.7.2's source (GitHub librosa/librosa, tag 0.7.2, unpacked at LIBROSA_SRC, default
/work/ref/librosa) runs on Debian 12's numpy 1.24 / scipy 1.10 with three stand-ins: numba.jit
becomes the identity (the same Python code, unjitted), resampy/audioread/soundfile are empty
modules (no loading or resampling is used here: the signals are made in memory at 22050 Hz), and
np.float/np.int/np.complex aliases are restored (removed in numpy 1.24).

    /usr/bin/python3 scripts/reference/degenerate_audio_reference.py tests/data/degenerate_audio_reference.json

Signals (66149 samples = one Kaggle 3-s segment, float32): all zeros, DC +0.5, DC -0.25, a
full-scale clipped square wave (+-1 at 440 Hz), and a 1e-30 sine. Result per signal: the 57
columns computed as in FEATURES.md, or the error librosa raises.
"""
import json
import os
import sys
import types
import warnings

import numpy as np

LIBROSA_SRC = os.environ.get("LIBROSA_SRC", "/work/ref/librosa")


def _stub_modules():
    def jit(*a, **k):
        if len(a) == 1 and callable(a[0]) and not k:
            return a[0]
        return lambda f: f

    numba = types.ModuleType("numba")
    numba.jit = jit
    numba.stencil = jit
    numba.guvectorize = numba.vectorize = lambda *a, **k: (lambda f: f)
    numba.uint32 = np.uint32
    decorators = types.ModuleType("numba.decorators")
    decorators.jit = jit
    sys.modules["numba"] = numba
    sys.modules["numba.decorators"] = decorators
    for name in ["resampy", "audioread", "soundfile"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["resampy"].filters = types.SimpleNamespace(get_filter=lambda name: (None, None, 0.9))
    sys.modules["audioread"].exceptions = types.SimpleNamespace(NoBackendError=Exception)
    np.float, np.int, np.complex, np.bool = float, int, complex, bool
    sys.path.insert(0, os.path.dirname(LIBROSA_SRC.rstrip("/")))


def row(librosa, y, sr=22050):
    out = {}
    feats = [
        ("chroma_stft", librosa.feature.chroma_stft(y=y, sr=sr)),
        ("rms", librosa.feature.rms(y=y)),
        ("spectral_centroid", librosa.feature.spectral_centroid(y=y, sr=sr)),
        ("spectral_bandwidth", librosa.feature.spectral_bandwidth(y=y, sr=sr)),
        ("rolloff", librosa.feature.spectral_rolloff(y=y, sr=sr)),
        ("zero_crossing_rate", librosa.feature.zero_crossing_rate(y)),
    ]
    harm, perc = librosa.effects.hpss(y)
    feats += [("harmony", harm), ("perceptr", perc)]
    for name, x in feats:
        out[name + "_mean"] = float(np.mean(x))
        out[name + "_var"] = float(np.var(x))
    tempo, _ = librosa.beat.beat_track(y=y, sr=sr)
    out["tempo"] = float(tempo)
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    for i in range(20):
        out["mfcc%d_mean" % (i + 1)] = float(np.mean(mfcc[i]))
        out["mfcc%d_var" % (i + 1)] = float(np.var(mfcc[i]))
    return out


def main():
    _stub_modules()
    import librosa

    n = 66149
    t = np.arange(n)
    signals = {
        "zeros": np.zeros(n, np.float32),
        "dc_plus_half": np.full(n, 0.5, np.float32),
        "dc_minus_quarter": np.full(n, -0.25, np.float32),
        "clipped_square": np.where(np.sin(t * 2 * np.pi * 440 / 22050) >= 0, 1.0, -1.0).astype(np.float32),
        "tiny_sine": (1e-30 * np.sin(t * 0.1)).astype(np.float32),
    }
    result = {"librosa": librosa.__version__, "samples": n, "signals": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Trying to estimate tuning from empty frequency set."
        for name, y in signals.items():
            try:
                result["signals"][name] = row(librosa, y)
            except Exception as e:  # librosa's refusal is a result too
                result["signals"][name] = {"error": str(e)}
    with open(sys.argv[1], "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

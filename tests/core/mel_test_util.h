// The mel block's pipeline for the mel / MFCC / onset / tempo tests (STFT -> |D|^2 -> mel ->
// power_to_db -> MFCC, onset envelope -> tempo) as librosa 0.7.2 runs it in feature.mfcc and
// beat.beat_track. The Kaggle tables, clips and segments are in support/kaggle_reference.h.
#pragma once

#include <filesystem>
#include <span>
#include <vector>

#include "audio/decode.h"
#include "dsp/mel.h"
#include "dsp/mfcc.h"
#include "dsp/onset.h"
#include "dsp/power_to_db.h"
#include "dsp/stft.h"
#include "dsp/tempo.h"

namespace genrelab::test::mel {

/// The block's outputs for one signal.
struct MelBlockResult {
  dsp::Spectrogram mel_power;
  dsp::Spectrogram mel_db;
  std::vector<std::vector<float>> mfcc;
  std::vector<float> onset;
  double tempo = 0.0;
};

/// librosa 0.7.2 defaults: n_fft 2048, hop 512, 128 mels (fmax 11025), 20 MFCCs, top_db 80.
struct MelBlock {
  dsp::Stft stft = dsp::Stft::create();
  dsp::MelFilterbank mel = dsp::MelFilterbank::create();
  dsp::Mfcc mfcc = dsp::Mfcc::create(20, 128);
  dsp::TempoEstimator tempo = dsp::TempoEstimator::create();

  MelBlockResult run(std::span<const float> y) const {
    MelBlockResult r;
    const auto power = dsp::squared(dsp::magnitude(stft.compute(y)));
    r.mel_power = mel.apply(power);
    r.mel_db = r.mel_power;
    dsp::power_to_db(r.mel_db);
    r.mfcc = mfcc.compute(r.mel_db);
    r.onset = dsp::onset_strength_median(r.mel_db, 2048, 512);
    r.tempo = tempo.estimate(r.onset);
    return r;
  }
};

/// The block run on blues.00000, the clip of librosa's reference outputs (blues.00000.json).
inline MelBlockResult run_on_blues(const std::filesystem::path& gtzan) {
  return MelBlock().run(audio::load_mono(gtzan / "genres_original/blues/blues.00000.wav"));
}

}  // namespace genrelab::test::mel

#include "audio/decode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "support/test_data.h"
#include "util/error.h"

using namespace genrelab;

TEST(Decode, Placeholder) { SUCCEED(); }

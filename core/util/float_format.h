// Number formatting shared by every table GenreLab writes.
#pragma once

#include <string>

namespace genrelab {

/// Python's repr() of a float: the shortest string that round-trips, in fixed notation when
/// 1e-4 <= |x| < 1e16 and scientific ("1.5e-05", "1e+16") otherwise; "0.0", "nan", "inf".
/// This is how pandas/numpy wrote the Kaggle GTZAN tables, so rebuilt tables compare as text.
std::string python_float_repr(double x);

/// A float32 value printed as numpy prints float(np.float32(x)): repr of the exact double.
inline std::string python_float_repr(float x) { return python_float_repr(static_cast<double>(x)); }

}  // namespace genrelab

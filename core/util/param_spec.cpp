#include "util/param_spec.h"

#include <array>
#include <charconv>

namespace genrelab {

std::string format_param_number(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e5) return std::to_string(static_cast<long long>(v));
  std::array<char, 64> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string s(buf.data(), ec == std::errc() ? end : buf.data());
  // 1e+06 -> 1e6, 1e-09 -> 1e-9
  if (const auto e = s.find('e'); e != std::string::npos) {
    std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
    const bool negative = !exponent.empty() && exponent[0] == '-';
    if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.erase(0, 1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    s = mantissa + "e" + (negative ? "-" : "") + exponent;
  }
  return s;
}

std::string ParamRange::text(bool integer) const {
  if (integer) return std::to_string(std::llround(min)) + ".." + std::to_string(std::llround(max));
  return std::string(min_open ? "(" : "[") + format_param_number(min) + ", " + format_param_number(max) +
         (max_open ? ")" : "]");
}

}  // namespace genrelab

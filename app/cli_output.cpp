#include "cli_output.h"

#include <iostream>

namespace genrelab::cli {

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

int error_exit(const std::string& message, bool as_json) {
  if (as_json) print_json({{"error", message}});
  else std::cerr << "error: " << message << "\n";
  return 1;
}

}  // namespace genrelab::cli

// Forward declarations of the progress and cancel types of util/progress.h, for headers whose
// functions only take pointers to them.
#pragma once

namespace genrelab {
class CancelToken;
class ProgressSink;
}  // namespace genrelab

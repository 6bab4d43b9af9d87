#include "dataset/feature_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <span>
#include <unordered_map>

#include "dataset/default_location.h"
#include "util/content_hash.h"
#include "util/error.h"

namespace genrelab::dataset {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  params_hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  content_hash INTEGER NOT NULL,
  seconds REAL NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  UNIQUE(path, kind));
CREATE TABLE IF NOT EXISTS rows(
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  segment INTEGER NOT NULL,
  filename TEXT NOT NULL,
  length INTEGER NOT NULL,
  features BLOB NOT NULL,
  PRIMARY KEY(file_id, segment)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log_mel(
  file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  n_mels INTEGER NOT NULL,
  n_frames INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS run_files(position INTEGER PRIMARY KEY, path TEXT NOT NULL, label TEXT NOT NULL);
)sql";

}  // namespace

struct FeatureStore::Db {
  sqlite3* handle = nullptr;
  fs::path file;
  /// Prepared statements by SQL text (a literal's address), reused across calls: preparing costs
  /// more than running the small lookups a reopen makes per file.
  std::unordered_map<const char*, sqlite3_stmt*> statements;
  ~Db() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    if (handle) sqlite3_close_v2(handle);
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw FileError(file, "feature store: " + what + ": " + (handle ? sqlite3_errmsg(handle) : "out of memory"));
  }
  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(handle, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string m = message ? message : sqlite3_errmsg(handle);
      sqlite3_free(message);
      throw FileError(file, "feature store: " + m);
    }
  }
};

namespace {

/// A cached prepared statement (`sql` must be a string literal), reset on scope exit. Binds are
/// 1-based. Callers hold the store's mutex, and no statement is used twice at once.
class Stmt {
 public:
  Stmt(const FeatureStore::Db& db, const char* sql) : db_(db) {
    auto& cache = const_cast<FeatureStore::Db&>(db).statements;
    if (const auto it = cache.find(sql); it != cache.end()) {
      s_ = it->second;
    } else {
      if (sqlite3_prepare_v3(db.handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK)
        db.fail("prepare");
      cache.emplace(sql, s_);
    }
  }
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, const std::string& v) {
    return check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, double v) { return check(sqlite3_bind_double(s_, i, v)); }
  Stmt& bind_blob(int i, const void* p, std::size_t n) {
    return check(sqlite3_bind_blob64(s_, i, n ? p : "", n, SQLITE_TRANSIENT));
  }
  /// True while a row is available.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail("query");
  }
  void run() {
    while (step()) {}
  }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  double f64(int c) const { return sqlite3_column_double(s_, c); }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(s_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  std::span<const std::byte> blob(int c) const {
    const void* p = sqlite3_column_blob(s_, c);
    return {static_cast<const std::byte*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c))};
  }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) db_.fail("bind");
    return *this;
  }
  const FeatureStore::Db& db_;
  sqlite3_stmt* s_ = nullptr;
};

/// BEGIN IMMEDIATE … COMMIT, rolled back when an exception leaves the scope.
class Transaction {
 public:
  explicit Transaction(FeatureStore::Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_.handle, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  FeatureStore::Db& db_;
  bool done_ = false;
};

std::string meta_value(const FeatureStore::Db& db, const char* key) {
  Stmt s(db, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, std::string(key));
  return s.step() ? s.text(0) : std::string();
}

void set_meta(const FeatureStore::Db& db, const char* key, const std::string& value) {
  Stmt s(db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, std::string(key)).bind(2, value).run();
}

}  // namespace

std::optional<FileStamp> file_stamp(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileStamp{static_cast<std::int64_t>(st.st_size),
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

std::uint64_t RunManifest::list_hash() const {
  ContentHasher h;
  for (const auto& [path, label] : files) {
    h.update(std::as_bytes(std::span(path.data(), path.size() + 1)));  // with the terminating NUL as separator
    h.update(std::as_bytes(std::span(label.data(), label.size() + 1)));
  }
  return h.digest();
}

FeatureStore::FeatureStore(fs::path path, std::unique_ptr<Db> db) : path_(std::move(path)), db_(std::move(db)) {}
FeatureStore::FeatureStore(FeatureStore&&) noexcept = default;
FeatureStore& FeatureStore::operator=(FeatureStore&&) noexcept = default;
FeatureStore::~FeatureStore() = default;

FeatureStore FeatureStore::open_existing(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw FileError(file, "feature store does not exist");
  return open(file);
}

FeatureStore FeatureStore::open(const fs::path& file) {
  auto db = std::make_unique<Db>();
  db->file = file;
  if (std::error_code ec; file.has_parent_path() && !fs::is_directory(file.parent_path(), ec))
    throw FileError(file, "feature store: folder does not exist");
  if (sqlite3_open_v2(file.c_str(), &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK)
    db->fail("cannot open");
  // Another process (a second extract, the GUI) may hold the write lock for one file's commit.
  sqlite3_busy_timeout(db->handle, 30'000);
  try {
    // WAL: readers never block the writer; synchronous=NORMAL keeps every commit safe against a
    // killed process (only a power cut can lose the last commits, never corrupt the file).
    db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    {
      Transaction t(*db);
      db->exec(kSchema);
      const std::string version = meta_value(*db, "schema_version");
      if (version.empty()) {
        set_meta(*db, "schema_version", std::to_string(kSchemaVersion));
        set_meta(*db, "generator", std::string("GenreLab ") + GENRELAB_VERSION);
      } else if (version != std::to_string(kSchemaVersion)) {
        throw FileError(file, "feature store has schema version " + version + ", this GenreLab reads version " +
                                  std::to_string(kSchemaVersion) + " (delete the file to rebuild it)");
      }
      t.commit();
    }
  } catch (const FileError& e) {
    // "file is not a database" and friends: say what the file was supposed to be.
    if (e.reason().find("schema version") != std::string::npos) throw;
    throw FileError(file, "not a usable GenreLab feature store (" + e.reason() + ")");
  }
  return FeatureStore(file, std::move(db));
}

std::optional<StoredFile> FeatureStore::find(const std::string& path, const std::string& kind) const {
  std::lock_guard lock(*mutex_);
  Stmt s(*db_,
         "SELECT id, params_hash, size, mtime_ns, content_hash, seconds, error FROM files WHERE path = ? AND kind = ?");
  s.bind(1, path).bind(2, kind);
  if (!s.step()) return std::nullopt;
  StoredFile f;
  f.path = path;
  f.kind = kind;
  const std::int64_t id = s.i64(0);
  f.params_hash = s.text(1);
  f.stamp = {s.i64(2), s.i64(3)};
  f.content_hash = static_cast<std::uint64_t>(s.i64(4));
  f.seconds = s.f64(5);
  f.error = s.text(6);
  Stmt r(*db_, "SELECT filename, length, features FROM rows WHERE file_id = ? ORDER BY segment");
  r.bind(1, id);
  while (r.step()) {
    const auto blob = r.blob(2);
    StoredRow row{r.text(0), r.i64(1), std::vector<double>(blob.size() / sizeof(double))};
    std::memcpy(row.features.data(), blob.data(), row.features.size() * sizeof(double));
    f.rows.push_back(std::move(row));
  }
  return f;
}

void FeatureStore::put(const StoredFile& file) {
  std::lock_guard lock(*mutex_);
  Transaction t(*db_);
  {
    Stmt del(*db_, "DELETE FROM files WHERE path = ? AND kind = ?");  // rows and log-mel cascade
    del.bind(1, file.path).bind(2, file.kind).run();
  }
  Stmt ins(*db_,
           "INSERT INTO files(path, kind, params_hash, size, mtime_ns, content_hash, seconds, error) "
           "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, file.path)
      .bind(2, file.kind)
      .bind(3, file.params_hash)
      .bind(4, file.stamp.size)
      .bind(5, file.stamp.mtime_ns);
  ins.bind(6, static_cast<std::int64_t>(file.content_hash)).bind(7, file.seconds).bind(8, file.error).run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_->handle);
  Stmt row(*db_, "INSERT INTO rows(file_id, segment, filename, length, features) VALUES(?, ?, ?, ?, ?)");
  const bool clip = file.kind == "clips";
  for (std::size_t i = 0; i < file.rows.size(); ++i) {
    const auto& r = file.rows[i];
    row.bind(1, id)
        .bind(2, clip ? std::int64_t{-1} : static_cast<std::int64_t>(i))
        .bind(3, r.filename)
        .bind(4, r.length);
    row.bind_blob(5, r.features.data(), r.features.size() * sizeof(double)).run();
    row.reset();
  }
  if (file.log_mel) {
    const auto& mel = *file.log_mel;
    const auto raw_size = static_cast<uLong>(mel.db.size() * sizeof(float));
    std::vector<Bytef> packed(compressBound(raw_size));
    uLongf packed_size = static_cast<uLongf>(packed.size());
    if (compress2(packed.data(), &packed_size, reinterpret_cast<const Bytef*>(mel.db.data()), raw_size, 6) != Z_OK)
      throw FileError(path_, "feature store: cannot compress the log-mel spectrogram of " + file.path);
    Stmt m(*db_, "INSERT INTO log_mel(file_id, n_mels, n_frames, encoding, data) VALUES(?, ?, ?, 'zlib-f32le', ?)");
    m.bind(1, id)
        .bind(2, std::int64_t{mel.n_mels})
        .bind(3, std::int64_t{mel.n_frames})
        .bind_blob(4, packed.data(), packed_size)
        .run();
  }
  t.commit();
}

void FeatureStore::restamp(const std::string& path, const std::string& kind, const FileStamp& stamp) {
  std::lock_guard lock(*mutex_);
  Stmt s(*db_, "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ? AND kind = ?");
  s.bind(1, stamp.size).bind(2, stamp.mtime_ns).bind(3, path).bind(4, kind).run();
}

std::size_t FeatureStore::size() const {
  std::lock_guard lock(*mutex_);
  Stmt s(*db_, "SELECT COUNT(*) FROM files");
  s.step();
  return static_cast<std::size_t>(s.i64(0));
}

bool FeatureStore::has_log_mel(const std::string& path, const std::string& kind) const {
  std::lock_guard lock(*mutex_);
  Stmt s(*db_, "SELECT 1 FROM log_mel m JOIN files f ON f.id = m.file_id WHERE f.path = ? AND f.kind = ?");
  s.bind(1, path).bind(2, kind);
  return s.step();
}

std::optional<StoredLogMel> FeatureStore::log_mel(const std::string& path, const std::string& kind) const {
  std::lock_guard lock(*mutex_);
  Stmt s(*db_,
         "SELECT m.n_mels, m.n_frames, m.data FROM log_mel m JOIN files f ON f.id = m.file_id "
         "WHERE f.path = ? AND f.kind = ?");
  s.bind(1, path).bind(2, kind);
  if (!s.step()) return std::nullopt;
  StoredLogMel mel{static_cast<int>(s.i64(0)), static_cast<int>(s.i64(1)), {}};
  mel.db.resize(static_cast<std::size_t>(mel.n_mels) * static_cast<std::size_t>(mel.n_frames));
  const auto blob = s.blob(2);
  uLongf size = static_cast<uLongf>(mel.db.size() * sizeof(float));
  if (uncompress(reinterpret_cast<Bytef*>(mel.db.data()), &size, reinterpret_cast<const Bytef*>(blob.data()),
                 static_cast<uLong>(blob.size())) != Z_OK ||
      size != mel.db.size() * sizeof(float))
    throw FileError(path_, "feature store: damaged log-mel spectrogram of " + path);
  return mel;
}

void FeatureStore::set_run(const RunManifest& run) {
  std::lock_guard lock(*mutex_);
  const std::string list_hash = std::to_string(run.list_hash());
  Transaction t(*db_);
  const std::string old = meta_value(*db_, "run");
  const bool same_list = !old.empty() && nlohmann::json::parse(old, nullptr, false).value("list_hash", "") == list_hash;
  if (!same_list) {
    db_->exec("DELETE FROM run_files");
    Stmt ins(*db_, "INSERT INTO run_files(position, path, label) VALUES(?, ?, ?)");
    for (std::size_t i = 0; i < run.files.size(); ++i) {
      ins.bind(1, static_cast<std::int64_t>(i)).bind(2, run.files[i].first).bind(3, run.files[i].second).run();
      ins.reset();
    }
  }
  const nlohmann::json j{{"kind", run.kind},
                         {"params", nlohmann::json::parse(run.params_json)},
                         {"params_hash", run.params_hash},
                         {"shard", std::to_string(run.shard_k) + "/" + std::to_string(run.shard_n)},
                         {"shard_k", run.shard_k},
                         {"shard_n", run.shard_n},
                         {"complete", run.complete},
                         {"files", run.files.size()},
                         {"list_hash", list_hash}};
  set_meta(*db_, "run",
           j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));  // paths may hold invalid UTF-8
  t.commit();
}

void FeatureStore::mark_run_complete() {
  std::lock_guard lock(*mutex_);
  auto j = nlohmann::json::parse(meta_value(*db_, "run"), nullptr, false);
  if (!j.is_object()) return;
  j["complete"] = true;
  set_meta(*db_, "run",
           j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));  // paths may hold invalid UTF-8
}

std::optional<RunManifest> FeatureStore::run() const {
  std::lock_guard lock(*mutex_);
  const auto j = nlohmann::json::parse(meta_value(*db_, "run"), nullptr, false);
  if (!j.is_object()) return std::nullopt;
  RunManifest run;
  try {
    run.kind = j.at("kind").get<std::string>();
    run.params_json = j.at("params").dump();
    run.params_hash = j.at("params_hash").get<std::string>();
    run.shard_k = j.at("shard_k").get<int>();
    run.shard_n = j.at("shard_n").get<int>();
    run.complete = j.at("complete").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw FileError(path_, std::string("feature store: damaged run record: ") + e.what());
  }
  Stmt s(*db_, "SELECT path, label FROM run_files ORDER BY position");
  while (s.step()) run.files.emplace_back(s.text(0), s.text(1));
  return run;
}

std::string store_key(const fs::path& file) {
  std::error_code ec;
  auto abs = fs::absolute(file, ec);
  return (ec ? file : abs).lexically_normal().string();
}

fs::path default_store_path(const fs::path& dataset_root) {
  fs::path root(store_key(dataset_root));
  if (!root.has_filename() && root.has_parent_path()) root = root.parent_path();  // "gtzan/" is "gtzan"
  const std::string key = root.string();
  const auto name = root.filename().string();
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(content_hash(key)));
  const auto dir = cache_dir() / "stores";
  std::error_code ec;
  fs::create_directories(dir, ec);  // a failure surfaces when the store is opened, naming the file
  return dir / (name + "-" + hex + ".sqlite");
}

}  // namespace genrelab::dataset

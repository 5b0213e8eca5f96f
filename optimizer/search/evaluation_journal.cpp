#include "search/evaluation_journal.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "search/search_error.h"

namespace bespoke::search {

namespace {
constexpr const char* kMagic = "bespoke-search-evaluations";

std::string header_line(const std::string& context) {
  return nlohmann::json{{"journal", kMagic}, {"context", context}}.dump() + "\n";
}
}  // namespace

EvaluationJournal::EvaluationJournal(std::string path, const std::string& context) : path_(std::move(path)) {
  bool same_context = false;
  size_t valid_bytes = 0;
  {
    std::ifstream in(path_, std::ios::binary);
    std::string line;
    size_t offset = 0;
    bool first = true;
    while (in && std::getline(in, line)) {
      // A line without its newline is the write a crash interrupted.
      if (in.eof()) break;
      offset += line.size() + 1;
      const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (first) {
        first = false;
        same_context = j.is_object() && j.value("journal", "") == kMagic && j.value("context", "") == context;
        if (!same_context) break;
        valid_bytes = offset;
        continue;
      }
      if (!j.is_object() || !j.contains("keys") || !j["keys"].is_array() || !j.contains("accuracy") ||
          !j["accuracy"].is_number() || !j.contains("mean_loss") || !j["mean_loss"].is_number())
        break;  // damaged: keep what came before
      JournalEntry e;
      for (const auto& k : j["keys"]) {
        if (!k.is_string()) break;
        e.keys.push_back(k.get<std::string>());
      }
      if (e.keys.size() != j["keys"].size()) break;
      e.score.accuracy = j["accuracy"].get<double>();
      e.score.mean_loss = j["mean_loss"].get<double>();
      recovered_.push_back(std::move(e));
      valid_bytes = offset;
    }
  }
  if (same_context) {
    // Drop a partial or damaged tail so that appends start on a line of their own.
    if (::truncate(path_.c_str(), static_cast<off_t>(valid_bytes)) != 0)
      throw SearchError(path_ + ": cannot truncate the journal: " + std::strerror(errno));
    file_ = std::fopen(path_.c_str(), "ab");
  } else {
    recovered_.clear();
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_) {
      const std::string h = header_line(context);
      if (std::fwrite(h.data(), 1, h.size(), file_) != h.size() || std::fflush(file_) != 0 ||
          ::fsync(fileno(file_)) != 0)
        throw SearchError(path_ + ": cannot write the journal: " + std::strerror(errno));
    }
  }
  if (!file_) throw SearchError(path_ + ": cannot open the journal: " + std::strerror(errno));
}

EvaluationJournal::~EvaluationJournal() {
  if (file_) std::fclose(file_);
}

void EvaluationJournal::append(const std::vector<std::string>& keys, const CandidateScore& score) {
  const std::string line =
      nlohmann::json{{"keys", keys}, {"accuracy", score.accuracy}, {"mean_loss", score.mean_loss}}.dump() + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0 ||
      ::fsync(fileno(file_)) != 0)
    throw SearchError(path_ + ": cannot append to the journal: " + std::strerror(errno));
}

}  // namespace bespoke::search

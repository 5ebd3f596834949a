#pragma once
// A StateStore in memory that keeps every commit, so a test can see what one request wrote
// (the durable-rows tests of tests/unit/mock).
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "restbox/mock/state_store.hpp"

namespace restbox::mock::testing {

class RecordingStore : public StateStore {
 public:
  using Key = std::tuple<std::string, std::string, std::string>;  // service, collection, key

  std::optional<std::string> Commit(const std::vector<RowChange>& changes) override {
    commits.push_back(changes);
    for (const auto& c : changes) {
      if (c.value)
        rows[{c.service, c.collection, c.key}] = *c.value;
      else
        rows.erase({c.service, c.collection, c.key});
    }
    return std::nullopt;
  }
  std::optional<std::string> ReplaceAll(const std::vector<StateRow>& all) override {
    rows.clear();
    for (const auto& r : all) rows[{r.service, r.collection, r.key}] = r.value;
    return std::nullopt;
  }
  std::optional<std::string> LoadAll(std::vector<StateRow>& out) override {
    out.clear();
    for (const auto& [k, v] : rows)
      out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), v});
    return std::nullopt;
  }
  std::optional<std::string> PutSnapshot(const SnapshotInfo& info,
                                         const std::string& world) override {
    snapshots[info.name] = {info, world};
    return std::nullopt;
  }
  std::optional<std::string> GetSnapshot(const std::string& name, std::string*) override {
    auto it = snapshots.find(name);
    if (it == snapshots.end()) return std::nullopt;
    return it->second.second;
  }
  std::vector<SnapshotInfo> ListSnapshots() override {
    std::vector<SnapshotInfo> out;
    for (const auto& [name, s] : snapshots) out.push_back(s.first);
    return out;
  }
  bool DeleteSnapshot(const std::string& name) override { return snapshots.erase(name) > 0; }

  // The rows of `service` (collection/key -> value).
  std::map<std::string, std::string> RowsOf(const std::string& service) const {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : rows) {
      if (std::get<0>(key) == service) out[std::get<1>(key) + "/" + std::get<2>(key)] = value;
    }
    return out;
  }

  std::map<Key, std::string> rows;
  std::vector<std::vector<RowChange>> commits;
  std::map<std::string, std::pair<SnapshotInfo, std::string>> snapshots;
};

}  // namespace restbox::mock::testing

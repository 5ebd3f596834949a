// Inventory mock: the state as JSON (SaveState, LoadState) and its durable rows (Rows, LoadRows).

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

Json Module::SaveState() const {
  return {{"accounts", JsonArray(accounts_, AccountJson)},
          {"keys", JsonArray(keys_, KeyJson)},
          {"templates", JsonArray(templates_, TemplateJson)},
          {"items", JsonArray(items_, ItemJson)},
          {"shares", JsonArray(shares_, ShareJson)},
          {"settings", {{"rate_limit_per_minute", rate_limit_per_minute_}}}};
}

std::optional<std::string> Module::LoadState(const Json& state) {
  if (!state.is_object()) return "state must be an object";
  auto list = [&](const char* name) -> const Json* {
    auto it = state.find(name);
    return it != state.end() && it->is_array() ? &*it : nullptr;
  };
  std::vector<Account> accounts;
  std::vector<KeySlot> keys;
  std::vector<StoredTemplate> templates;
  std::vector<StoredItem> items;
  std::vector<StoredShare> shares;
  if (const Json* a = list("accounts")) {
    for (const auto& j : *a) {
      auto email = OptString(j, "email");
      if (!email) return "account without email";
      accounts.push_back(
          {*email, OptString(j, "createdAt").value_or(""), core::JsonValueOr(j, "apiEnabled", true),
           core::JsonValueOr<std::int64_t>(j, "monthlyLimit", api::kDefaultMonthlyLimit),
           OptTime(j, "lastUsedAt")});
    }
  }
  if (const Json* k = list("keys")) {
    for (const auto& j : *k) {
      auto slot = OptString(j, "slot");
      auto account = OptString(j, "account");
      if (!slot || !account) return "key without slot or account";
      keys.push_back({*slot, *account, OptString(j, "value").value_or(""),
                      core::JsonValueOr(j, "writeScope", true), OptTime(j, "expiresAt"),
                      Strings(j, "replaced")});
    }
  }
  if (const Json* t = list("templates")) {
    for (const auto& j : *t) {
      auto token = OptString(j, "token");
      auto owner = OptString(j, "owner");
      if (!token || !owner) return "template without token or owner";
      templates.push_back(
          {*token, *owner, OptString(j, "title").value_or(""), OptString(j, "content").value_or(""),
           OptString(j, "imageUrl").value_or(""),
           OptString(j, "commentMode").value_or("independent"), Strings(j, "keywords"),
           OptString(j, "publishDate"), OptString(j, "validUntil"),
           OptString(j, "createdAt").value_or(""), OptString(j, "updatedAt").value_or("")});
    }
  }
  if (const Json* i = list("items")) {
    for (const auto& j : *i) {
      auto owner = OptString(j, "owner");
      auto item = core::ConvertJson<api::Item>(j);
      if (!owner || !item.ok()) return "item without token or owner";
      items.push_back({std::move(item.value()), *owner});
    }
  }
  if (const Json* s = list("shares")) {
    for (const auto& j : *s) {
      auto token = OptString(j, "shareToken");
      auto tpl = OptString(j, "templateToken");
      auto owner = OptString(j, "owner");
      auto created = OptTime(j, "createdAt");
      if (!token || !tpl || !owner || !created)
        return "share without token, template, owner or createdAt";
      shares.push_back({*token, *tpl, *owner, Strings(j, "tags"), *created, OptTime(j, "expiresAt"),
                        OptString(j, "state").value_or("active"),
                        core::JsonValueOr<std::int64_t>(j, "copyCount", 0)});
    }
  }
  if (auto s = state.find("settings"); s != state.end()) {
    if (auto err = ApplySettings(*s)) return err;
  }
  accounts_ = std::move(accounts);
  keys_ = std::move(keys);
  templates_ = std::move(templates);
  items_ = std::move(items);
  shares_ = std::move(shares);
  return std::nullopt;
}

std::vector<StateRow> Module::Rows() const {
  std::vector<StateRow> rows;
  const std::string service = Spec().id;
  auto add = [&](std::string_view collection, const auto& records, auto to_json) {
    for (std::size_t i = 0; i < records.size(); ++i)
      rows.push_back({service, std::string(collection), OrderedRowKey(i),
                      core::DumpJson(to_json(records[i]))});
  };
  add(kAccountRows, accounts_, AccountJson);
  add(kKeyRows, keys_, KeyJson);
  add(kTemplateRows, templates_, TemplateJson);
  add(kItemRows, items_, ItemJson);
  add(kShareRows, shares_, ShareJson);
  rows.push_back({service, "meta", "", core::DumpJson(MetaJson())});
  return rows;
}

// Rebuilt through LoadState (rows are checked like an imported state), then the token
// generator continues where it stopped, so a restart never hands out a token again.
std::optional<std::string> Module::LoadRows(const std::vector<StateRow>& rows) {
  static constexpr std::pair<std::string_view, const char*> kCollections[] = {
      {kAccountRows, "accounts"},
      {kKeyRows, "keys"},
      {kTemplateRows, "templates"},
      {kItemRows, "items"},
      {kShareRows, "shares"}};
  std::map<std::string_view, std::map<std::string, Json>> by_collection;
  Json meta = Json::object();
  for (const auto& row : rows) {
    auto parsed = core::ParseJson(row.value);
    if (!parsed.ok() || !parsed.value().is_object())
      return "row " + row.collection + "/" + row.key + " is not a JSON object";
    if (row.collection == "meta") {
      meta = std::move(parsed.value());
      continue;
    }
    auto known = std::find_if(std::begin(kCollections), std::end(kCollections),
                              [&](const auto& c) { return c.first == row.collection; });
    if (known == std::end(kCollections))
      return "unknown row collection '" + row.collection +
             "' (account, key, template, item, share, meta)";
    by_collection[known->first][row.key] = std::move(parsed.value());
  }
  Json state = Json::object();
  for (const auto& [collection, member] : kCollections) {
    Json records = Json::array();
    // Keys must be the positions 0..n-1: the next record appended takes key n.
    for (auto& [key, value] : by_collection[collection]) {
      if (key != OrderedRowKey(records.size()))
        return std::string(collection) + " rows must be numbered 0 to n-1 (" +
               std::string(collection) + "/" + key + " found where " +
               OrderedRowKey(records.size()) + " was expected)";
      records.push_back(std::move(value));
    }
    state[member] = std::move(records);
  }
  state["settings"] = meta.value("settings", Json::object());
  if (auto error = LoadState(state)) return error;
  token_draws_ = core::JsonValueOr<std::uint64_t>(meta, "token_draws", 0);
  rng_.seed(RngSeed(seed_));
  rng_.discard(token_draws_);
  return std::nullopt;
}

}  // namespace restbox::mock::inventory

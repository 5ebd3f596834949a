// Inventory mock: templates (list, get, create, send, check ownership).

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

StoredTemplate* Module::FindTemplate(std::string_view token) {
  auto it = std::find_if(templates_.begin(), templates_.end(),
                         [&](const StoredTemplate& t) { return t.token == token; });
  return it == templates_.end() ? nullptr : &*it;
}

api::Template Module::Summary(const StoredTemplate& t, TimePoint now) {
  api::Template s;
  s.token = t.token;
  s.title = t.title;
  s.content = t.content;
  s.image_url = t.image_url;
  s.comment_mode = t.comment_mode;
  s.is_sharing = ActiveShareOf(t.token, now) != nullptr;
  s.created_at = t.created_at;
  return s;
}

Json Module::Detail(const StoredTemplate& t, TimePoint now) {
  api::Template d = Summary(t, now);
  d.keywords = t.keywords;
  d.publish_date = t.publish_date;
  d.valid_until = t.valid_until;
  d.updated_at = t.updated_at;
  return Json(d);
}

core::HttpResponse Module::ListTemplates(const MockRequest& r, const std::string& email) {
  std::vector<api::Template> mine;
  for (auto it = templates_.rbegin(); it != templates_.rend(); ++it) {
    if (SameEmail(it->owner, email)) mine.push_back(Summary(*it, r.now));
  }
  auto [page, pagination] =
      Paginate(mine, QueryInt(r, "page", 1), QueryInt(r, "pageSize", api::kDefaultPageSize));
  return Ok(Json(api::TemplateList{std::move(page), pagination}));
}

core::HttpResponse Module::CreateTemplate(const MockRequest& r, const Json& body,
                                          const std::string& email) {
  StoredTemplate t;
  t.token = NewToken(api::TokenKind::kTemplate);
  t.owner = email;
  t.title = core::JsonValueOr<std::string>(body, "title", "");
  t.content = core::JsonValueOr<std::string>(body, "content", "");
  t.image_url = core::JsonValueOr<std::string>(body, "imageUrl", "");
  t.comment_mode = core::JsonValueOr<std::string>(body, "commentMode", "independent");
  t.keywords = core::JsonValueOr(body, "keywords", std::vector<std::string>{});
  t.publish_date = OptString(body, "publishDate");
  t.valid_until = OptString(body, "validUntil");
  AddTemplate(t, r.now);
  PutTemplate(templates_.back());
  PutMeta();
  return Ok(Json(api::CreatedTemplate{t.token, t.title, Iso(r.now)}));
}

core::HttpResponse Module::Send(const MockRequest& r, const Json& body, const StoredTemplate& t) {
  const std::string recipient = core::JsonValueOr<std::string>(body, "recipientEmail", "");
  const Account* to = FindAccount(recipient);
  if (!to) return Error(404, api::kRecipientNotFound, "No account with this email");
  auto merged = api::MergeKeywords(t.keywords,
                                   core::JsonValueOr(body, "keywords", std::vector<std::string>{}));
  if (merged.size() > api::kMaxKeywords) {
    const std::string why =
        "merged keywords must be at most " + std::to_string(api::kMaxKeywords) + " items";
    return Error({400,
                  std::string(api::kValidationError),
                  "Invalid input: keywords " + why,
                  {{"keywords", why}}});
  }
  StoredItem item;
  item.owner = to->email;
  item.item.token = NewToken(api::TokenKind::kItem);
  item.item.title = t.title;
  item.item.content = t.content;
  item.item.type = "stamp";
  item.item.status = "active";
  item.item.image_url = t.image_url;
  item.item.keywords = std::move(merged);
  item.item.template_token = t.token;
  item.item.sender_email = t.owner;
  item.item.message = OptString(body, "message");
  item.item.created_at = item.item.updated_at = Iso(r.now);
  const std::string item_token = item.item.token;
  items_.push_back(std::move(item));
  PutItem(items_.back());
  PutMeta();
  if (StoredShare* share = ActiveShareOf(t.token, r.now)) {
    ++share->copy_count;
    PutShare(*share);
  }
  return Ok(Json(api::SendResult{item_token, recipient, "sent"}));
}

core::HttpResponse Module::CheckOwnership(const Json& body, const StoredTemplate& t) const {
  const std::string email = core::JsonValueOr<std::string>(body, "email", "");
  api::Ownership out;
  const StoredItem* latest = nullptr;
  std::vector<std::string> tokens;
  for (const auto& i : items_) {
    if (SameEmail(i.owner, email) && i.item.template_token == t.token) {
      tokens.push_back(i.item.token);
      latest = &i;
    }
  }
  out.has_item = latest != nullptr;
  if (out.has_item) out.item_tokens = std::move(tokens);
  if (body.contains("keywordKeys") && body["keywordKeys"].is_array()) {
    std::map<std::string, std::string> values;
    for (const auto& key : core::JsonValueOr(body, "keywordKeys", std::vector<std::string>{})) {
      if (!latest || !latest->item.keywords) continue;
      for (const auto& k : *latest->item.keywords) {
        if (api::KeywordKey(k) == key) values[key] = k.substr(key.size() + 1);
      }
    }
    out.keywords = std::move(values);
  }
  return Ok(Json(out));
}

}  // namespace restbox::mock::inventory

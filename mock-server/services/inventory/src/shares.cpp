// Inventory mock: shares of templates (share, revoke, the templates shared with the caller).

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

StoredShare* Module::ActiveShareOf(std::string_view template_token, TimePoint now) {
  auto it = std::find_if(shares_.begin(), shares_.end(), [&](const StoredShare& s) {
    return s.template_token == template_token && Active(s, now);
  });
  return it == shares_.end() ? nullptr : &*it;
}

bool Module::Active(const StoredShare& s, TimePoint now) {
  return s.state == "active" && (!s.expires_at || now < *s.expires_at);
}

core::HttpResponse Module::ListShared(const MockRequest& r, const std::string& email) {
  api::SharedTemplateList out;
  for (auto it = shares_.rbegin(); it != shares_.rend(); ++it) {
    if (!SameEmail(it->owner, email) || !Active(*it, r.now)) continue;
    const StoredTemplate* t = FindTemplate(it->template_token);
    out.shared_templates.push_back(
        {it->template_token, it->share_token, t ? t->title : "", it->tags,
         it->expires_at ? std::optional(Iso(*it->expires_at)) : std::nullopt, it->copy_count});
  }
  return Ok(Json(out));
}

core::HttpResponse Module::ShareTemplate(const MockRequest& r, const Json& body,
                                         const StoredTemplate& t) {
  if (ActiveShareOf(t.token, r.now))
    return Error(400, api::kAlreadyShared, "This template is already being shared");
  StoredShare s;
  s.share_token = NewToken(api::TokenKind::kShare);
  s.template_token = t.token;
  s.owner = t.owner;
  for (const auto& tag : core::JsonValueOr(body, "tags", std::vector<std::string>{}))
    s.tags.push_back(UpperAscii(tag));
  s.created_at = r.now;
  auto minutes = core::JsonValueOr<std::int64_t>(body, "durationMinutes", 0);
  if (minutes > 0) s.expires_at = r.now + std::chrono::minutes(minutes);
  shares_.push_back(s);
  PutShare(shares_.back());
  PutMeta();
  return Ok(Json(api::Share{
      s.share_token, s.expires_at ? std::optional(Iso(*s.expires_at)) : std::nullopt, s.tags}));
}

core::HttpResponse Module::Revoke(const MockRequest& r, const Json& body,
                                  const std::string& email) {
  const std::string token = core::JsonValueOr<std::string>(body, "shareToken", "");
  auto it = std::find_if(shares_.begin(), shares_.end(),
                         [&](const StoredShare& s) { return s.share_token == token; });
  if (it == shares_.end()) return Error(404, api::kNotFound, "Share not found");
  if (!SameEmail(it->owner, email))
    return Error(403, api::kForbidden, "This share belongs to another user");
  if (!Active(*it, r.now)) {
    return Error(
        400, api::kNotShared,
        it->state == "revoked" ? "This share has already been revoked" : "This share has expired");
  }
  it->state = "revoked";
  PutShare(*it);
  return Ok(Json(api::RevokeResult{kRevokedMessage}));
}

}  // namespace restbox::mock::inventory

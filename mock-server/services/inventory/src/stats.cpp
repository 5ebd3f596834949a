// Inventory mock: the caller's statistics.

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

core::HttpResponse Module::Stats(const MockRequest& r, const Account& account) {
  api::UserStats s;
  s.email = account.email;
  s.created_at = account.created_at;
  for (const auto& i : items_) {
    if (!SameEmail(i.owner, account.email)) continue;
    ++s.items.total;
    (i.item.type == "stamp" ? s.items.stamp : s.items.paper) += 1;
  }
  s.templates = api::UserStats::Templates{};
  s.shares = api::UserStats::Shares{};
  for (const auto& t : templates_) {
    if (!SameEmail(t.owner, account.email)) continue;
    ++s.templates->total;
    if (ActiveShareOf(t.token, r.now)) ++s.templates->sharing;
  }
  for (const auto& sh : shares_) {
    if (!SameEmail(sh.owner, account.email)) continue;
    ++s.shares->total;
    s.shares->copies += sh.copy_count;
    if (Active(sh, r.now)) ++s.shares->active;
  }
  s.api.enabled = account.api_enabled;
  s.api.monthly_limit = account.monthly_limit;
  for (const auto& w : context_->limiter().Snapshot(AccountRateKey(account.email), r.now)) {
    if (w.name == "month") s.api.monthly_used = w.used;
  }
  s.api.last_used_at = account.last_used ? std::optional(Iso(*account.last_used)) : std::nullopt;
  s.api.rate_limit_per_minute = rate_limit_per_minute_;
  return Ok(Json(s));
}

}  // namespace restbox::mock::inventory

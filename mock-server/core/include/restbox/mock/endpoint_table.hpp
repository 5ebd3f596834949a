#pragma once
// The routes of a mocked service: one function per endpoint, kept in a table keyed by endpoint id,
// each reached through the service's Before stage (authentication, pacing, validation: what every
// request to the service gets first). A module fills the table and registers it; registration
// refuses (std::logic_error) an endpoint of the spec without a function and a function for an id
// the spec does not have, so no endpoint can be forgotten or misspelt.
//
//   EndpointTable<std::function<core::HttpResponse(Call&)>> table;
//   table.Add(api::kListItems, [this](Call& c) { return ListItems(c); });
//   RegisterBehind(router, Spec(), table,
//                  [this](const core::EndpointSpec& ep, Call& c) { return Before(ep, c); });
// A module whose route does more than that (wncms flushes its rows after each request) gives
// EndpointTable::Register its own route maker.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "restbox/core/endpoint.hpp"
#include "restbox/mock/router.hpp"

namespace restbox::mock {

template <class Fn>
class EndpointTable {
 public:
  // The function of endpoint `id`; a second one for the same id is a programming error.
  void Add(std::string_view id, Fn fn) {
    if (!fns_.emplace(std::string(id), std::move(fn)).second)
      throw std::logic_error("two functions for endpoint " + std::string(id));
  }

  // The function of `ep` of `spec`; std::logic_error "<service> mock: no function for endpoint
  // <id>" when there is none.
  const Fn& At(const core::ServiceSpec& spec, const core::EndpointSpec& ep) const {
    auto it = fns_.find(ep.id);
    if (it == fns_.end())
      throw std::logic_error(spec.id + " mock: no function for endpoint " + ep.id);
    return it->second;
  }

  // Adds one route per endpoint of `spec`, in the spec's order: router.Add(spec.id, ep, route(ep,
  // fn)) where `route` wraps the endpoint's function in the service's Before stage. Refuses an
  // endpoint without a function and a function for no endpoint before adding any route.
  template <class MakeHandler>
  void Register(Router& router, const core::ServiceSpec& spec, MakeHandler&& route) const {
    for (const auto& [id, fn] : fns_) {
      if (!spec.Find(id))
        throw std::logic_error(spec.id + " mock: a function for unknown endpoint " + id);
    }
    for (const auto& ep : spec.endpoints) At(spec, ep);
    for (const auto& ep : spec.endpoints) router.Add(spec.id, ep, route(ep, At(spec, ep)));
  }

 private:
  std::map<std::string, Fn, std::less<>> fns_;
};

// Registers the endpoints of `spec` with their functions in `table`, each behind `before`: a
// request becomes a Call (`Call{request}`), `before(endpoint, call)` returns the answer when the
// request stops there (std::optional<core::HttpResponse>) and otherwise fills the call for the
// endpoint's function, which answers.
template <class Call, class Before>
void RegisterBehind(Router& router, const core::ServiceSpec& spec,
                    const EndpointTable<std::function<core::HttpResponse(Call&)>>& table,
                    Before before) {
  table.Register(router, spec, [&before](const core::EndpointSpec& ep, const auto& fn) -> Handler {
    return [before, &ep, fn](MockRequest& r) -> core::HttpResponse {
      Call c{r};
      if (auto refused = before(ep, c)) return *std::move(refused);
      return fn(c);
    };
  });
}

}  // namespace restbox::mock

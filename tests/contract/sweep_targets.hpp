#pragma once
// The targets a sweep program runs every row against. Each program links one definition:
// tests/contract/in_process_targets.cpp (contract_sweep_tests: the in-process target alone) or
// tests/conformance/curl_http_target.cpp (conformance_sweep_tests: in-process, then curl_http).

#include <vector>

#include "sweep.hpp"

namespace restbox::contract {

// Made on the first call; every call returns the same targets, in the same order.
const std::vector<Target>& SweepTargets();

}  // namespace restbox::contract
